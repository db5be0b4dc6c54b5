import Dispatch
import Foundation

/// Splits the rows (or elements) of a fused kernel across cores.
///
/// The C kernels in `CKernels` process a contiguous range of rows; this type hands out
/// `[start, start + count)` ranges. Work is split only above ``minimumChunkElements`` per
/// piece (below that, thread hand-off costs more than it saves), the split depends only on the
/// problem size and the core count (so results are reproducible for a given thread count), and
/// it is never nested inside a BLAS call.
enum KernelParallel {
    /// Smallest number of float elements worth handing to another core.
    static let minimumChunkElements = 1 << 15
    /// Cores used for kernel loops.
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Number of pieces `rows` rows of `rowSize` elements are split into.
    static func chunkCount(rows: Int, rowSize: Int) -> Int {
        guard rows > 1 else { return 1 }
        let total = rows * max(rowSize, 1)
        return max(1, min(cores, rows, total / minimumChunkElements))
    }

    /// Calls `body(chunk, start, count)` for `chunks` contiguous pieces of `0..<rows`,
    /// concurrently when `chunks > 1`. `body` must write disjoint memory per piece.
    static func forEachChunk(rows: Int, chunks: Int, _ body: (_ chunk: Int, _ start: Int, _ count: Int) -> Void) {
        guard rows > 0 else { return }
        if chunks <= 1 {
            body(0, 0, rows)
            return
        }
        parallelFor(chunks) { c in
            let r = evenSplit(c, of: chunks, total: rows)
            if !r.isEmpty { body(c, r.lowerBound, r.count) }
        }
    }

    /// Splits `rows` rows of `rowSize` elements with ``chunkCount(rows:rowSize:)`` and calls
    /// `body(start, count)` for each piece.
    static func forEachRowRange(rows: Int, rowSize: Int, _ body: (_ start: Int, _ count: Int) -> Void) {
        forEachChunk(rows: rows, chunks: chunkCount(rows: rows, rowSize: rowSize)) { _, start, count in
            body(start, count)
        }
    }

    /// Splits `count` independent elements into pieces and calls `body(start, length)`.
    static func forEachElementRange(count: Int, _ body: (_ start: Int, _ length: Int) -> Void) {
        // Split in whole cache lines (16 floats) so no two cores write the same line.
        let lines = (count + 15) / 16
        let chunks = chunkCount(rows: lines, rowSize: 16)
        forEachChunk(rows: lines, chunks: chunks) { _, startLine, lineCount in
            let start = startLine * 16
            body(start, min(count, (startLine + lineCount) * 16) - start)
        }
    }
}
