import Dispatch

/// The one parallel-for of TensorCore: runs `body(i)` for `i` in `0..<count` on all cores
/// (`DispatchQueue.concurrentPerform`), inline when `count` is 1. Callers choose the split —
/// rows of a kernel (``KernelParallel``), fixed-size optimizer chunks (``OptimizerChunks``),
/// runs of a strided loop (``StridedLoop``), batches of small gemms — and `body` must write
/// disjoint memory per index. The closure may capture raw pointers (it is not `Sendable`);
/// disjointness is the caller's promise.
///
/// ```swift
/// parallelFor(chunks) { c in
///     let r = evenSplit(c, of: chunks, total: rows)
///     kernel(input + r.lowerBound * width, output + r.lowerBound * width, r.count)
/// }
/// ```
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { escaping in
        let work = UncheckedSendable(value: escaping)
        DispatchQueue.concurrentPerform(iterations: count) { work.value($0) }
    }
}

/// Piece `i` of `0..<total` split into `pieces` nearly equal contiguous ranges.
func evenSplit(_ i: Int, of pieces: Int, total: Int) -> Range<Int> {
    (total * i / pieces)..<(total * (i + 1) / pieces)
}

/// Carries a non-Sendable value into concurrently executed code whose accesses the caller has
/// made disjoint.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
