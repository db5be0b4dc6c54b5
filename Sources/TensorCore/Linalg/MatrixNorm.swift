extension Linalg {
    /// The matrix norms of ``matrixNorm(_:_:)``.
    public enum MatrixNormKind: Sendable {
        /// `sqrt(Σ a_ij²)` (torch `ord="fro"`).
        case frobenius
        /// Sum of the singular values (torch `ord="nuc"`).
        case nuclear
        /// Largest singular value (torch `ord=2`).
        case spectral
    }

    /// A norm of each matrix of `a` `[…, m, n]` → `[…]` (torch.linalg.matrix_norm).
    ///
    /// Backward (PyTorch): Frobenius `g · A / ‖A‖` (0 where `‖A‖ = 0`); nuclear `g · U Vh`
    /// (through ``svdvals(_:)``); spectral `g · u₁ v₁ᵀ` (through ``svdvals(_:)`` and a max that
    /// splits the gradient evenly between tied largest singular values, as torch's `amax`).
    ///
    /// ```swift
    /// let penalty = try Linalg.matrixNorm(weight, .nuclear)   // low-rank regulariser
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput` (nuclear, spectral).
    public static func matrixNorm(_ a: Tensor, _ kind: MatrixNormKind = .frobenius) throws(LinalgError) -> Tensor {
        let op = "linalg.matrix_norm"
        _ = matrixSize(a, op: op)
        switch kind {
        case .frobenius:
            return frobeniusNorm(a)
        case .nuclear:
            return try svdvals(a).sum(axis: -1)
        case .spectral:
            return try svdvals(a).max(axis: -1)
        }
    }

    /// `sqrt(Σ a²)` over the last two dimensions, summed in Float64, with torch's backward.
    private static func frobeniusNorm(_ a: Tensor) -> Tensor {
        let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
        let values = a.toArray()
        let batch = Array(a.shape.dropLast(2))
        let norms = (0..<(values.count / (m * n))).map { b in
            var total = 0.0
            for i in 0..<(m * n) { let v = Double(values[b * m * n + i]); total += v * v }
            return Float(total.squareRoot())
        }
        let out = Tensor(norms, shape: batch)  // […]
        guard Tensor.needsGradient(a) else { return out }
        let aValue = a.detached()
        return Tensor.record(op: "linalg_matrix_norm_fro", inputs: [a], output: out) { g in
            let scale = zip(g.toArray(), norms).map { $1 == 0 ? 0 : $0 / $1 }       // g / ‖A‖, 0 at 0
            return [aValue * Tensor(scale, shape: batch + [1, 1])]
        }
    }
}
