/// A linear-algebra op could not produce a result for one matrix of its (batched) input.
///
/// Every error names the op, the position of the failing matrix among the leading (batch)
/// dimensions, flattened row-major (0 for an unbatched input), and LAPACK's `info` for that
/// matrix (0 when the problem was found before LAPACK ran, e.g. a non-finite input).
///
/// ```swift
/// do {
///     let x = try Linalg.solve(a, b)                 // a: [4, 3, 3]
/// } catch {
///     print(error)   // linalg.solve: matrix 2 of the batch is singular: U[3,3] is exactly zero (LAPACK info 3)
/// }
/// ```
public struct LinalgError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The matrix (or a triangular factor) is exactly singular: LAPACK found a zero pivot
        /// (`info` is its 1-based index).
        case singular
        /// The leading minor of order `info` is not positive definite (Cholesky).
        case notPositiveDefinite
        /// An iterative algorithm (SVD, symmetric eigensolver, least squares) did not converge;
        /// `info` counts the superdiagonals / off-diagonal elements that did not.
        case noConvergence
        /// The input holds NaN or ±infinity; LAPACK would return garbage, so it is not called.
        case nonFiniteInput
    }

    /// The op as torch names it, e.g. `linalg.solve`, `linalg.cholesky`.
    public var op: String
    /// What went wrong.
    public var kind: Kind
    /// Flattened (row-major) index of the failing matrix over the batch dimensions.
    public var batchIndex: Int
    /// LAPACK's `info` for that matrix (0 when LAPACK was not called).
    public var info: Int

    public init(op: String, kind: Kind, batchIndex: Int, info: Int) {
        self.op = op
        self.kind = kind
        self.batchIndex = batchIndex
        self.info = info
    }

    public var description: String {
        let which = "matrix \(batchIndex) of the batch"
        switch kind {
        case .singular:
            return "\(op): \(which) is singular: U[\(info),\(info)] is exactly zero (LAPACK info \(info))"
        case .notPositiveDefinite:
            return "\(op): \(which) is not positive definite: the leading minor of order \(info) is not (LAPACK info \(info))"
        case .noConvergence:
            return "\(op): the algorithm did not converge for \(which) (LAPACK info \(info))"
        case .nonFiniteInput:
            return "\(op): \(which) contains NaN or infinity"
        }
    }
}
