extension Linalg {
    /// Solves with triangular matrices `t` `[…, n, n]` (only the `upper` or lower triangle is
    /// read) in Float64: `op(T) X = B` when `left`, `X op(T) = B` otherwise, with
    /// `op(T) = Tᵀ` when `transpose`. `b` is `[…, n, k]` (left) or `[…, k, n]` (right) with the
    /// same batch. Not recorded: a building block of the backward formulas, whose factors are
    /// known to be nonsingular (a zero on the diagonal gives infinities, not an error).
    static func triangularSolve(_ t: Tensor, _ b: Tensor, upper: Bool, transpose: Bool, left: Bool) -> Tensor {
        // X op(T) = B  ⇔  op(T)ᵀ Xᵀ = Bᵀ.
        let rhs = left ? b : b.mT
        let trans = left ? transpose : !transpose
        let factor = MatrixBatch(t)
        var x = MatrixBatch(rhs)
        precondition(factor.count == x.count && factor.rows == x.rows,
                     "triangularSolve: shapes \(t.shape) and \(b.shape) do not match")
        var factors = factor
        let n = factor.rows, nrhs = x.cols
        for i in 0..<factor.count {
            _ = factors.withMatrix(i) { tp in
                x.withMatrix(i) { Lapack.trtrs(upper: upper, transpose: trans, n: n, nrhs: nrhs, t: tp, b: $0) }
            }
        }
        let solution = x.tensor()
        return left ? solution : solution.mT.contiguous()
    }
}
