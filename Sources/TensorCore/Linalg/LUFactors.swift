import CBLAS
import Foundation

/// LU factorisations (with partial pivoting) of a batch of square matrices, in Float64: shared by
/// `solve`, `inverse`, `det` and `slogdet`, and kept for their backward, which solves with
/// the transposed factors instead of factorising again.
struct LUFactors: Sendable {
    /// The packed L and U factors of each matrix.
    var lu: MatrixBatch
    /// 1-based row swaps of each matrix.
    var pivots: [[LapackInt]]
    /// LAPACK's `info` of each matrix: > 0 when `U[info, info]` is exactly zero (singular).
    var info: [Int]

    var n: Int { lu.rows }

    /// Factorises every matrix of `a` `[…, n, n]`; a singular matrix is recorded in ``info``,
    /// not thrown. Throws for NaN or infinity in the input.
    init(_ a: Tensor, op: String) throws(LinalgError) {
        self.init(factorising: try MatrixBatch.checked(a, op: op))
    }

    /// Factorises every matrix of `matrices` (square, finite).
    init(factorising matrices: MatrixBatch) {
        lu = matrices
        pivots = []
        info = []
        let n = lu.rows
        for b in 0..<lu.count {
            var p: [LapackInt] = []
            let status = lu.withMatrix(b) { Lapack.getrf(m: n, n: n, a: $0, pivots: &p) }
            precondition(status >= 0, "LUFactors: LAPACK getrf rejected argument \(-status) (internal error)")
            pivots.append(p)
            info.append(status)
        }
    }

    /// Throws ``LinalgError/Kind/singular`` for the first singular matrix.
    func requireNonsingular(op: String) throws(LinalgError) {
        if let b = info.firstIndex(where: { $0 > 0 }) {
            throw LinalgError(op: op, kind: .singular, batchIndex: b, info: info[b])
        }
    }

    /// `A⁻¹ B` (or `A⁻ᵀ B` when `transpose`) for each matrix, `rhs` `[…, n, k]` with the same batch.
    func solve(transpose: Bool, _ rhs: MatrixBatch) -> MatrixBatch {
        precondition(rhs.count == lu.count && rhs.rows == n, "LUFactors.solve: right-hand side does not match")
        var x = rhs
        var factors = lu
        for b in 0..<lu.count {
            factors.withMatrix(b) { luPointer in
                x.withMatrix(b) { Lapack.getrs(transpose: transpose, n: n, nrhs: rhs.cols, lu: luPointer,
                                               pivots: pivots[b], b: $0) }
            }
        }
        return x
    }

    /// Determinant of each matrix: the product of U's diagonal times the sign of the row swaps
    /// (0 for a singular matrix).
    func determinants() -> [Double] {
        (0..<lu.count).map { b in
            var det = 1.0
            for i in 0..<n {
                det *= lu[b, i, i]
                if Int(pivots[b][i]) != i + 1 { det = -det }
            }
            return det
        }
    }

    /// Sign (−1, 0 or 1) and log |det| (−∞ when singular) of matrix `b`, summed in logs so that
    /// large matrices neither overflow nor underflow.
    func signAndLogAbsDeterminant(_ b: Int) -> (sign: Double, logAbs: Double) {
        var sign = 1.0, logAbs = 0.0
        for i in 0..<n {
            let u = lu[b, i, i]
            if u == 0 { return (0, -.infinity) }
            if u < 0 { sign = -sign }
            if Int(pivots[b][i]) != i + 1 { sign = -sign }
            logAbs += log(Swift.abs(u))
        }
        return (sign, logAbs)
    }
}
