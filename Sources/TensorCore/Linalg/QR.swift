extension Linalg {
    /// Reduced QR decomposition of each matrix of `a` `[…, m, n]` (torch.linalg.qr,
    /// `mode="reduced"`): `q` `[…, m, k]` with orthonormal columns and `r` `[…, k, n]` upper
    /// triangular, `k = min(m, n)`, `A = Q R`. Householder QR (LAPACK geqrf/orgqr); the signs of
    /// R's diagonal are LAPACK's (as torch's), not forced positive.
    ///
    /// Backward (PyTorch): with `M = gR Rᵀ − Qᵀ gQ`,
    /// - `m ≥ n`: `gA = (gQ + Q copyltu(M)) R⁻ᵀ`, `copyltu(M) = triu(M) + triu(M, 1)ᵀ`;
    /// - `m < n`: `gA = [Q tril(Mᵀ − M) R₁⁻ᵀ | 0] + Q gR`, `R₁` = the first m columns of R.
    /// Defined when `R` (resp. `R₁`) is nonsingular, i.e. the leading columns are independent.
    ///
    /// ```swift
    /// let (q, r) = try Linalg.qr(x)          // [B, m, n] → [B, m, k], [B, k, n]
    /// ```
    /// - Throws: ``LinalgError`` `.nonFiniteInput`.
    public static func qr(_ a: Tensor) throws(LinalgError) -> (q: Tensor, r: Tensor) {
        let op = "linalg.qr"
        let (m, n) = matrixSize(a, op: op)
        let k = Swift.min(m, n)
        var work = try MatrixBatch.checked(a, op: op)
        let batch = work.batchShape
        var qBatch = MatrixBatch(batchShape: batch, rows: m, cols: k)
        var rBatch = MatrixBatch(batchShape: batch, rows: k, cols: n)
        var tau = [Double](repeating: 0, count: k)
        for b in 0..<work.count {
            let info = work.withMatrix(b) { Lapack.geqrf(m: m, n: n, a: $0, tau: &tau) }
            try Lapack.check(info, op: op, batchIndex: b, kind: .noConvergence)
            for j in 0..<n { for i in 0...Swift.min(j, k - 1) { rBatch[b, i, j] = work[b, i, j] } }
            let formed = work.withMatrix(b) { Lapack.orgqr(m: m, k: k, a: $0, tau: tau) }
            try Lapack.check(formed, op: op, batchIndex: b, kind: .noConvergence)
            for j in 0..<k { for i in 0..<m { qBatch[b, i, j] = work[b, i, j] } }
        }
        let q = qBatch.tensor(), r = rBatch.tensor()  // […, m, k], […, k, n]
        let outputs = recordOutputs(op: "linalg_qr", inputs: [a], outputs: [q, r]) { g in
            [qrBackward(gQ: g[0], gR: g[1], q: q, r: r)]
        }
        return (outputs[0], outputs[1])
    }

    /// PyTorch's `linalg_qr_backward` for the reduced mode (real case).
    static func qrBackward(gQ: Tensor, gR: Tensor, q: Tensor, r: Tensor) -> Tensor {
        let m = q.shape[q.rank - 2], n = r.shape[r.rank - 1]
        let mMatrix = gR.matmul(r.mT) - q.mT.matmul(gQ)                   // M = gR Rᵀ − Qᵀ gQ   […, k, k]
        if m >= n {
            let upper = mMatrix.triangle(lower: false)
            let copied = upper + upper.triangle(lower: false, diagonal: 1).mT  // triu(M) + triu(M, 1)ᵀ
            let gA = q.matmul(copied) + gQ                                     // […, m, n]
            return triangularSolve(r, gA, upper: true, transpose: true, left: false)   // · R⁻ᵀ
        }
        let skew = (mMatrix.mT - mMatrix).triangle(lower: true)             // tril(−M + Mᵀ)     […, m, m]
        let r1 = r.narrow(axis: -1, start: 0, length: m)                    // […, m, m]
        let left = triangularSolve(r1, q.matmul(skew), upper: true, transpose: true, left: false)  // […, m, m]
        var padShape = left.shape
        padShape[padShape.count - 1] = n - m
        return Tensor.concat([left, Tensor.zeros(padShape)], axis: -1) + q.matmul(gR)   // […, m, n]
    }
}
