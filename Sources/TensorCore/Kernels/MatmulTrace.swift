import Foundation

/// What the gemm layer did inside a ``withMatmulTrace(_:)`` scope: how many `cblas_sgemm`
/// calls ran, their sizes, and how many operands had to be copied because their strides were
/// not BLAS-compatible. Use it to check that transposed views and folded batches really run
/// without copies.
public struct MatmulTrace: Sendable, Equatable {
    /// `(m, n, k)` of every sgemm call, in order (batched gemms run on several threads are
    /// recorded in the order they finish).
    public var gemms: [[Int]] = []
    /// Operands copied to contiguous memory before a gemm.
    public var operandCopies = 0
    /// Number of sgemm calls.
    public var gemmCalls: Int { gemms.count }

    public init(gemms: [[Int]] = [], operandCopies: Int = 0) {
        self.gemms = gemms
        self.operandCopies = operandCopies
    }
}

/// Runs `body` and returns its result with a trace of the gemm work done in this task.
///
/// ```swift
/// let (_, trace) = withMatmulTrace { x.matmul(w.transposed()) }   // x: [B, T, K]
/// // trace.gemmCalls == 1, trace.operandCopies == 0
/// ```
public func withMatmulTrace<R>(_ body: () throws -> R) rethrows -> (R, MatmulTrace) {
    let box = MatmulTraceBox()
    let result = try MatmulTraceBox.$current.withValue(box, operation: body)
    return (result, box.trace)
}

/// The trace being filled; batched gemms record into it from several worker threads, hence the lock.
final class MatmulTraceBox: @unchecked Sendable {
    @TaskLocal static var current: MatmulTraceBox?
    private let lock = NSLock()
    private var recorded = MatmulTrace()

    var trace: MatmulTrace {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    static func recordGemm(m: Int, n: Int, k: Int) {
        guard let box = current else { return }
        box.lock.lock()
        box.recorded.gemms.append([m, n, k])
        box.lock.unlock()
    }

    static func recordCopy() {
        guard let box = current else { return }
        box.lock.lock()
        box.recorded.operandCopies += 1
        box.lock.unlock()
    }
}
