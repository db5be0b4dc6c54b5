extension Linalg {
    /// Eigen-decomposition of each symmetric matrix of `a` `[…, n, n]` (torch.linalg.eigh,
    /// `UPLO="L"`: only the lower triangle is read): `eigenvalues` `[…, n]` ascending and
    /// `eigenvectors` `[…, n, n]` orthonormal columns, `A = V diag(λ) Vᵀ`. LAPACK syevd in
    /// Float64. An eigenvector's sign is LAPACK's; a loss should not depend on it.
    ///
    /// Backward (PyTorch): `gA = V [diag(gλ) + ½(Vᵀ gV − gVᵀ V) / E] Vᵀ` with
    /// `E_ij = λ_j − λ_i` (1 on the diagonal). **Caveat:** through the eigenvectors it is defined
    /// only for distinct eigenvalues (repeated ones make it infinite/NaN, close ones huge); a
    /// gradient through the eigenvalues alone is always defined (use ``eigvalsh(_:)``). The
    /// gradient is not symmetrised, as in torch: check it through a symmetric parametrisation.
    ///
    /// ```swift
    /// let (values, vectors) = try Linalg.eigh(covariance)    // [B, n], [B, n, n]
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput`.
    public static func eigh(_ a: Tensor) throws(LinalgError) -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let (values, vectors) = try symmetricEigen(a, vectors: true, op: "linalg.eigh")
        let outputs = recordOutputs(op: "linalg_eigh", inputs: [a], outputs: [values, vectors]) { g in
            [eighBackward(gL: g[0], gV: g[1], values: values, vectors: vectors)]
        }
        return (outputs[0], outputs[1])
    }

    /// Eigenvalues `[…, n]` (ascending) of each symmetric matrix of `a` `[…, n, n]`
    /// (torch.linalg.eigvalsh; lower triangle read). Backward: `gA = V diag(gλ) Vᵀ`.
    ///
    /// ```swift
    /// let spectrum = try Linalg.eigvalsh(gram)               // [B, n]
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput`.
    public static func eigvalsh(_ a: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.eigvalsh"
        guard Tensor.needsGradient(a) else { return try symmetricEigen(a, vectors: false, op: op).values }
        let (values, vectors) = try symmetricEigen(a, vectors: true, op: op)
        return Tensor.record(op: "linalg_eigvalsh", inputs: [a], output: values) { g in
            [(vectors * g.unsqueeze(axis: -2)).matmul(vectors.mT)]      // V diag(gλ) Vᵀ
        }
    }

    /// Eigenvalues and (when `vectors`) eigenvectors with syevd, not recorded.
    static func symmetricEigen(_ a: Tensor, vectors: Bool, op: String) throws(LinalgError) -> (values: Tensor, vectors: Tensor) {
        let n = squareSize(a, op: op)
        var work = try MatrixBatch.checked(a, op: op)
        var w = VectorBatch(batchShape: work.batchShape, length: n)
        for b in 0..<work.count {
            let info = work.withMatrix(b) { ap in w.withVector(b) { Lapack.syevd(n: n, vectors: vectors, a: ap, w: $0) } }
            try Lapack.check(info, op: op, batchIndex: b, kind: .noConvergence)
        }
        return (w.tensor(), vectors ? work.tensor() : Tensor.zeros([0]))
    }

    /// PyTorch's `linalg_eig_backward` for the Hermitian case (real). An all-zero gradient counts
    /// as absent, as in ``svdBackward(gU:gS:gVh:u:s:vh:)``.
    static func eighBackward(gL: Tensor, gV: Tensor, values: Tensor, vectors v: Tensor) -> Tensor {
        guard !gV.isAllZero else { return (v * gL.unsqueeze(axis: -2)).matmul(v.mT) }   // V diag(gλ) Vᵀ
        let vhgv = v.mT.matmul(gV)                                            // Vᵀ gV          […, n, n]
        let projected = (vhgv - vhgv.mT) * 0.5                                 // skew part: zero diagonal
        let inner = projected / values.pairwiseDifferences() + gL.diagonalEmbedded()   // / E, E_ij = λ_j − λ_i
        return v.matmul(inner.matmul(v.mT))
    }
}
