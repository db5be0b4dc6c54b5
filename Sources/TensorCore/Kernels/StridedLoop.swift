import Dispatch
import Foundation

/// Walks an n-dimensional index space over up to three strided operands, handing out
/// innermost runs `(offsets, length, inner strides)` to a kernel that processes a whole run in
/// C. Adjacent dimensions that are contiguous for every operand are merged first, so a
/// contiguous tensor is one run. Large jobs are split across cores (never below
/// ``minimumParallelChunk`` elements per piece).
enum StridedLoop {
    /// Smallest number of elements worth handing to another core.
    static let minimumParallelChunk = 1 << 16
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    struct Run {
        var offset0: Int, offset1: Int, offset2: Int
        var count: Int
        var stride0: Int, stride1: Int, stride2: Int
    }

    /// Calls `body` for every innermost run of `shape` with operand strides `s0`, `s1`, `s2`
    /// (pass the same array, or zeros, for unused operands). With `parallel`, runs may be
    /// processed concurrently, so `body` must only write disjoint memory per run.
    static func forEachRun(shape: [Int], _ s0: [Int], _ s1: [Int], _ s2: [Int],
                           parallel: Bool, _ body: (Run) -> Void) {
        // Drop size-1 dimensions and merge contiguous neighbours.
        var sizes: [Int] = []
        var st0: [Int] = [], st1: [Int] = [], st2: [Int] = []
        sizes.reserveCapacity(shape.count)
        for axis in 0..<shape.count {
            let n = shape[axis]
            if n == 0 { return }
            if n == 1 { continue }
            if let last = sizes.indices.last,
               st0[last] == s0[axis] * n, st1[last] == s1[axis] * n, st2[last] == s2[axis] * n {
                sizes[last] *= n
                st0[last] = s0[axis]; st1[last] = s1[axis]; st2[last] = s2[axis]
            } else {
                sizes.append(n); st0.append(s0[axis]); st1.append(s1[axis]); st2.append(s2[axis])
            }
        }
        if sizes.isEmpty {
            body(Run(offset0: 0, offset1: 0, offset2: 0, count: 1, stride0: 0, stride1: 0, stride2: 0))
            return
        }
        let inner = sizes.count - 1
        let innerCount = sizes[inner]
        let runCount = sizes[..<inner].reduce(1, *)
        let total = runCount * innerCount
        let chunks = parallel ? min(cores, total / minimumParallelChunk) : 1

        // Offsets of run `r` (mixed-radix decomposition over the outer dimensions).
        func runStart(_ r: Int) -> (Int, Int, Int) {
            var rest = r, o0 = 0, o1 = 0, o2 = 0
            var axis = inner - 1
            while axis >= 0 {
                let i = rest % sizes[axis]
                rest /= sizes[axis]
                o0 += i * st0[axis]; o1 += i * st1[axis]; o2 += i * st2[axis]
                axis -= 1
            }
            return (o0, o1, o2)
        }
        func process(runs: Range<Int>, pieceStart: Int, pieceCount: Int) {
            // Incrementally advance a counter over the outer dimensions.
            guard !runs.isEmpty else { return }
            var (o0, o1, o2) = runStart(runs.lowerBound)
            var counter = [Int](repeating: 0, count: inner)
            var rest = runs.lowerBound
            var axis = inner - 1
            while axis >= 0 { counter[axis] = rest % sizes[axis]; rest /= sizes[axis]; axis -= 1 }
            for _ in runs {
                body(Run(offset0: o0 + pieceStart * st0[inner], offset1: o1 + pieceStart * st1[inner],
                         offset2: o2 + pieceStart * st2[inner], count: pieceCount,
                         stride0: st0[inner], stride1: st1[inner], stride2: st2[inner]))
                var a = inner - 1
                while a >= 0 {
                    counter[a] += 1
                    o0 += st0[a]; o1 += st1[a]; o2 += st2[a]
                    if counter[a] < sizes[a] { break }
                    o0 -= st0[a] * sizes[a]; o1 -= st1[a] * sizes[a]; o2 -= st2[a] * sizes[a]
                    counter[a] = 0
                    a -= 1
                }
            }
        }

        if chunks <= 1 {
            process(runs: 0..<runCount, pieceStart: 0, pieceCount: innerCount)
            return
        }
        // The kernel writes disjoint memory per piece.
        if runCount >= chunks {
            parallelFor(chunks) { c in process(runs: evenSplit(c, of: chunks, total: runCount), pieceStart: 0, pieceCount: innerCount) }
        } else {
            // Few long runs: split each run's inner dimension into pieces.
            let pieces = (chunks + runCount - 1) / runCount
            parallelFor(runCount * pieces) { item in
                let r = item / pieces, inner = evenSplit(item % pieces, of: pieces, total: innerCount)
                process(runs: r..<(r + 1), pieceStart: inner.lowerBound, pieceCount: inner.count)
            }
        }
    }
}
