extension Linalg {
    /// Cholesky factor `L` (lower triangular, positive diagonal, `A = L Lᵀ`) of each symmetric
    /// positive-definite matrix of `a` `[…, n, n]` (torch.linalg.cholesky). Only the lower
    /// triangle of `a` is read.
    ///
    /// Backward (PyTorch, Murray 2016): with `Φ = tril(Lᵀ gL)` and its diagonal halved and the
    /// strict lower part mirrored, `gA = L⁻ᵀ ½(Φ + Φᵀ) L⁻¹` — a symmetric gradient, so check it
    /// through a symmetric parametrisation such as `(X + Xᵀ)/2` or `X Xᵀ + c·I`.
    ///
    /// ```swift
    /// let l = try Linalg.cholesky(covariance)              // [B, n, n]
    /// ```
    /// - Throws: ``LinalgError`` `.notPositiveDefinite` (`info` = order of the failing leading
    ///   minor) or `.nonFiniteInput`.
    public static func cholesky(_ a: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.cholesky"
        let n = squareSize(a, op: op)
        var factor = try MatrixBatch.checked(a, op: op)
        for b in 0..<factor.count {
            let info = factor.withMatrix(b) { Lapack.potrf(n: n, a: $0) }
            try Lapack.check(info, op: op, batchIndex: b, kind: .notPositiveDefinite)
            for j in 1..<n { for i in 0..<j { factor[b, i, j] = 0 } }   // clear the strict upper triangle
        }
        let l = factor.tensor()  // […, n, n]
        guard Tensor.needsGradient(a) else { return l }
        return Tensor.record(op: "linalg_cholesky", inputs: [a], output: l) { g in
            var phi = l.mT.matmul(g).triangle(lower: true)                  // tril(Lᵀ gL)      […, n, n]
            phi = (phi + phi.triangle(lower: true, diagonal: -1).mT) * 0.5   // ½(Φ + tril₋₁(Φ)ᵀ)
            let left = triangularSolve(l, phi, upper: false, transpose: true, left: true)        // L⁻ᵀ Φ
            return [triangularSolve(l, left, upper: false, transpose: false, left: false)]     // · L⁻¹
        }
    }

    /// Solves `A X = B` given the Cholesky factor `L` of `A = L Lᵀ` (torch.cholesky_solve with
    /// `upper=False`): `b` `[…, n, k]`, `factor` `[…, n, n]` (only its lower triangle is read);
    /// batch dimensions broadcast.
    ///
    /// Backward (PyTorch): `gB = (L Lᵀ)⁻¹ gX`, `gL = −(gB Xᵀ + X gBᵀ) L`. As in torch, `gL` is the
    /// full matrix (its strict upper part is not zeroed), though only `L`'s lower triangle is read.
    ///
    /// ```swift
    /// let l = try Linalg.cholesky(a)
    /// let x = try Linalg.choleskySolve(b, factor: l)       // A⁻¹ B
    /// ```
    /// - Throws: ``LinalgError`` `.singular` (a zero on `L`'s diagonal) or `.nonFiniteInput`.
    public static func choleskySolve(_ b: Tensor, factor: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.cholesky_solve"
        let n = squareSize(factor, op: op)
        precondition(b.rank >= 2 && b.shape[b.rank - 2] == n,
                     "\(op): right-hand side of shape \(b.shape) does not fit factors of shape \(factor.shape)")
        let (l, b) = broadcastBatch(factor, b, op: op)
        let factors = try MatrixBatch.checked(l, op: op)
        for i in 0..<factors.count {
            if let zero = (0..<n).first(where: { factors[i, $0, $0] == 0 }) {
                throw LinalgError(op: op, kind: .singular, batchIndex: i, info: zero + 1)
            }
        }
        let x = choleskySolve(factors, try MatrixBatch.checked(b, op: op)).tensor()  // […, n, k]
        guard Tensor.needsGradient(l, b) else { return x }
        let needL = l.requiresGrad
        let lValue = l.detached()
        return Tensor.record(op: "linalg_cholesky_solve", inputs: [b, l], output: x) { g in
            let gB = choleskySolve(factors, MatrixBatch(g)).tensor()     // (L Lᵀ)⁻¹ gX   […, n, k]
            guard needL else { return [gB, nil] }
            let common = gB.matmul(x.mT)                                   // gB Xᵀ         […, n, n]
            return [gB, (common + common.mT).matmul(lValue).neg()]        // −(C + Cᵀ) L
        }
    }

    /// `(L Lᵀ)⁻¹ B` per matrix, in Float64.
    private static func choleskySolve(_ factors: MatrixBatch, _ rhs: MatrixBatch) -> MatrixBatch {
        var x = rhs
        var l = factors
        for i in 0..<factors.count {
            let info = l.withMatrix(i) { lp in x.withMatrix(i) { Lapack.potrs(n: factors.rows, nrhs: rhs.cols, l: lp, b: $0) } }
            precondition(info == 0, "cholesky_solve: LAPACK potrs rejected argument \(-info) (internal error)")
        }
        return x
    }
}
