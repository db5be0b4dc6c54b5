extension Linalg {
    /// Determinant of each matrix of `a` `[…, n, n]` → `[…]` (torch.linalg.det). A singular
    /// matrix has determinant 0; that is a result, not an error.
    ///
    /// Backward (PyTorch): `gA = g · det(A) · A⁻ᵀ` (the adjugate), solved with the forward's LU
    /// factors; for a singular or nearly singular matrix (`|det| < 100 ε_Float32`, torch's rule)
    /// the adjugate comes from the SVD, `gA = g · det(U) det(Vᵀ) · U diag(∏_{j≠i} s_j) Vᵀ`,
    /// which stays exact where `A⁻ᵀ` does not exist or is inaccurate.
    ///
    /// ```swift
    /// let d = try Linalg.det(a)        // [B, n, n] → [B]
    /// ```
    /// - Throws: ``LinalgError`` `.nonFiniteInput`.
    public static func det(_ a: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.det"
        let n = squareSize(a, op: op)
        let factors = try LUFactors(a, op: op)
        let batch = Array(a.shape.dropLast(2))
        let dets = factors.determinants()
        let out = Tensor(dets.map { Float($0) }, shape: batch)  // […]
        guard Tensor.needsGradient(a) else { return out }
        let original = MatrixBatch(a)
        return Tensor.record(op: "linalg_det", inputs: [a], output: out) { g in
            let upstream = g.toArray()
            let scale = zip(upstream, dets).map { Double($0) * $1 }
            var grad = factors.solve(transpose: true, MatrixBatch.scaledIdentity(  // g·det·A⁻ᵀ
                batchShape: batch, rows: n, cols: n, scale: scale))
            // Near-singular: A⁻ᵀ is inaccurate there, so use the SVD (torch's rule, |det| < 100 ε).
            for b in 0..<factors.lu.count where factors.info[b] > 0 || Swift.abs(dets[b]) < 100 * Double(Float.ulpOfOne) {
                singularDeterminantGradient(original, b, upstream: Double(upstream[b]), into: &grad)
            }
            return [grad.tensor()]
        }
    }

    /// Sign and natural log of the absolute determinant of each matrix of `a` `[…, n, n]`
    /// (torch.linalg.slogdet): both `[…]`, `det = sign · exp(logAbsDet)` without overflow. A
    /// singular matrix gives sign 0 and `logAbsDet = −∞`, as in torch.
    ///
    /// Backward (PyTorch): `gA = g_logAbsDet · A⁻ᵀ`; `sign` is piecewise constant (no gradient).
    /// log|det| is not differentiable at a singular matrix: the gradient there is not finite.
    ///
    /// ```swift
    /// let (sign, logAbsDet) = try Linalg.slogdet(covariance)     // Gaussian log-likelihoods
    /// ```
    /// - Throws: ``LinalgError`` `.nonFiniteInput`.
    public static func slogdet(_ a: Tensor) throws(LinalgError) -> (sign: Tensor, logAbsDet: Tensor) {
        let op = "linalg.slogdet"
        let n = squareSize(a, op: op)
        let factors = try LUFactors(a, op: op)
        let batch = Array(a.shape.dropLast(2))
        let pairs = (0..<factors.lu.count).map { factors.signAndLogAbsDeterminant($0) }
        let sign = Tensor(pairs.map { Float($0.sign) }, shape: batch)       // […]
        let logAbs = Tensor(pairs.map { Float($0.logAbs) }, shape: batch)   // […]
        let outputs = recordOutputs(op: "linalg_slogdet", inputs: [a], outputs: [sign, logAbs]) { g in
            let scale = g[1].toArray().map(Double.init)
            return [factors.solve(transpose: true, MatrixBatch.scaledIdentity(  // g·A⁻ᵀ
                batchShape: batch, rows: n, cols: n, scale: scale)).tensor()]
        }
        return (outputs[0].detached(), outputs[1])
    }

    /// Overwrites matrix `b` of `grad` with `upstream · adj(A)ᵀ` from the SVD of matrix `b` of
    /// `a`: `det(U) det(Vᵀ) · U diag(∏_{j≠i} s_j) Vᵀ`. Left as NaN if the SVD does not converge.
    private static func singularDeterminantGradient(_ a: MatrixBatch, _ b: Int, upstream: Double,
                                                    into grad: inout MatrixBatch) {
        let n = a.rows
        var work = MatrixBatch(batchShape: [], rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { work[0, i, j] = a[b, i, j] } }
        var u = MatrixBatch(batchShape: [], rows: n, cols: n), vt = u
        var s = [Double](repeating: 0, count: n)
        let info = work.withMatrix(0) { w in
            u.withMatrix(0) { up in vt.withMatrix(0) { vp in Lapack.gesdd(m: n, n: n, a: w, s: &s, u: up, vt: vp) } }
        }
        guard info == 0 else {
            for i in 0..<n { for j in 0..<n { grad[b, i, j] = .nan } }
            return
        }
        let signU = LUFactors(factorising: u).signAndLogAbsDeterminant(0).sign
        let signV = LUFactors(factorising: vt).signAndLogAbsDeterminant(0).sign
        let alpha = upstream * signU * signV
        for i in 0..<n {
            for j in 0..<n {
                var total = 0.0
                for k in 0..<n {
                    var others = 1.0
                    for l in 0..<n where l != k { others *= s[l] }
                    total += u[0, i, k] * others * vt[0, k, j]
                }
                grad[b, i, j] = alpha * total
            }
        }
    }
}
