import CBLAS

extension Linalg {
    /// Moore–Penrose pseudo-inverse `[…, n, m]` of each matrix of `a` `[…, m, n]`
    /// (torch.linalg.pinv): `V diag(1/s) Uᵀ` over the singular values `s > rtol · s_max`, the
    /// rest treated as zero. `rtol` defaults to torch's Float32 choice `ε · max(m, n)`.
    ///
    /// Backward (PyTorch's `pinv_backward`), exact where the rank does not change under a small
    /// perturbation (full rank, or singular values well clear of the cut-off).
    ///
    /// ```swift
    /// let p = try Linalg.pinv(x)            // [B, m, n] → [B, n, m]
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput`.
    public static func pinv(_ a: Tensor, rtol: Float? = nil) throws(LinalgError) -> Tensor {
        let op = "linalg.pinv"
        let (m, n) = matrixSize(a, op: op)
        let tolerance = Double(rtol ?? Float.ulpOfOne * Float(Swift.max(m, n)))
        let p = try pseudoInverse(try MatrixBatch.checked(a, op: op), rtol: tolerance, op: op).tensor()  // […, n, m]
        guard Tensor.needsGradient(a) else { return p }
        let aValue = a.detached()
        return Tensor.record(op: "linalg_pinv", inputs: [a], output: p) { g in
            [pinvBackward(g, pinvA: p, a: aValue)]
        }
    }

    /// Least-squares solution `X` minimising `‖A X − B‖` (the minimum-norm one when `A` is
    /// rank deficient) for `a` `[…, m, n]` and `b` `[…, m, k]` or a vector `[…, m]`
    /// (torch.linalg.lstsq's `solution`). Batch dimensions broadcast. LAPACK gelsd (SVD based)
    /// in Float64; singular values `≤ rcond · s_max` count as zero, `rcond` defaulting to torch's
    /// `ε_Float32 · max(m, n)`. (torch's CPU default driver gelsy returns the same solution for
    /// full-rank `A`; for rank-deficient `A` it returns a basic, not the minimum-norm, one.)
    ///
    /// Backward (PyTorch): `gA = pinv_backward(gX Bᵀ, A⁺, A)`, `gB = A⁺ᵀ gX`.
    ///
    /// ```swift
    /// let w = try Linalg.lstsq(features, targets)    // [N, d] × [N, k] → [d, k]
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput`.
    public static func lstsq(_ a: Tensor, _ b: Tensor, rcond: Float? = nil) throws(LinalgError) -> Tensor {
        let op = "linalg.lstsq"
        let (m, n) = matrixSize(a, op: op)
        if isVectorRightHandSide(a, b) {
            return try lstsq(a, b.unsqueeze(axis: -1), rcond: rcond).squeeze(axis: -1)
        }
        precondition(b.rank >= 2 && b.shape[b.rank - 2] == m,
                     "\(op): right-hand side of shape \(b.shape) does not fit matrices of shape \(a.shape)")
        let (a, b) = broadcastBatch(a, b, op: op)
        let tolerance = Double(rcond ?? Float.ulpOfOne * Float(Swift.max(m, n)))
        let matrices = try MatrixBatch.checked(a, op: op)
        let rhs = try MatrixBatch.checked(b, op: op)
        let k = rhs.cols, rows = Swift.max(m, n)
        var solution = MatrixBatch(batchShape: rhs.batchShape, rows: n, cols: k)
        var work = matrices
        var padded = MatrixBatch(batchShape: rhs.batchShape, rows: rows, cols: k)
        for i in 0..<work.count {
            for j in 0..<k { for r in 0..<m { padded[i, r, j] = rhs[i, r, j] } }
            let status = work.withMatrix(i) { ap in padded.withMatrix(i) { Lapack.gelsd(m: m, n: n, nrhs: k, a: ap, b: $0, rcond: tolerance) } }
            try Lapack.check(status.info, op: op, batchIndex: i, kind: .noConvergence)
            for j in 0..<k { for r in 0..<n { solution[i, r, j] = padded[i, r, j] } }
        }
        let x = solution.tensor()  // […, n, k]
        guard Tensor.needsGradient(a, b) else { return x }
        let pinvA = try pseudoInverse(matrices, rtol: tolerance, op: op).tensor()   // […, n, m]
        let aValue = a.detached(), bValue = b.detached(), needA = a.requiresGrad
        return Tensor.record(op: "linalg_lstsq", inputs: [a, b], output: x) { g in
            [needA ? pinvBackward(g.matmul(bValue.mT), pinvA: pinvA, a: aValue) : nil,
             pinvA.mT.matmul(g)]                                                      // A⁺ᵀ gX   […, m, k]
        }
    }

    /// `V diag(1/s) Uᵀ` per matrix in Float64 (singular values `≤ rtol · s_max` dropped).
    static func pseudoInverse(_ matrices: MatrixBatch, rtol: Double, op: String) throws(LinalgError) -> MatrixBatch {
        let m = matrices.rows, n = matrices.cols, k = Swift.min(m, n)
        var work = matrices
        var result = MatrixBatch(batchShape: matrices.batchShape, rows: n, cols: m)
        var u = [Double](repeating: 0, count: m * k), vt = [Double](repeating: 0, count: k * n)
        var s = [Double](repeating: 0, count: k)
        for b in 0..<work.count {
            let info = work.withMatrix(b) { Lapack.gesdd(m: m, n: n, a: $0, s: &s, u: &u, vt: &vt) }
            try Lapack.check(info, op: op, batchIndex: b, kind: .noConvergence)
            let cutoff = rtol * (s.first ?? 0)
            for i in 0..<k {                                     // rows of Vᵀ scaled by 1/s (or 0)
                let scale = s[i] > cutoff ? 1 / s[i] : 0
                for j in 0..<n { vt[i + j * k] *= scale }
            }
            result.withMatrix(b) { out in                        // (Vᵀ)ᵀ · Uᵀ = [n, m]
                cblas_dgemm(CblasColMajor, CblasTrans, CblasTrans, Int32(n), Int32(m), Int32(k), 1,
                            vt, Int32(k), u, Int32(m), 0, out, Int32(n))
            }
        }
        return result
    }

    /// PyTorch's `pinv_backward`: the gradient with respect to `A` of a loss with gradient `g`
    /// with respect to `A⁺`.
    static func pinvBackward(_ g: Tensor, pinvA: Tensor, a: Tensor) -> Tensor {
        let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
        let pinvAh = pinvA.mT, gh = g.mT
        if m <= n {
            let k = gh.matmul(pinvA)                          // […, m, m]
            let kPinvAh = k.matmul(pinvAh)                    // […, m, n]
            return pinvA.matmul(k).mT.neg() + kPinvAh - a.matmul(pinvA).matmul(kPinvAh)
                + pinvAh.matmul(pinvA).matmul(gh - k.matmul(a))
        }
        let k = pinvA.matmul(gh)                              // […, n, n]
        let pinvAhK = pinvAh.matmul(k)                        // […, m, n]
        return k.matmul(pinvA).mT.neg() + (gh - a.matmul(k)).matmul(pinvA).matmul(pinvAh)
            + pinvAhK - pinvAhK.matmul(pinvA).matmul(a)
    }
}
