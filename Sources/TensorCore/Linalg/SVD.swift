extension Linalg {
    /// Reduced singular value decomposition of each matrix of `a` `[…, m, n]`
    /// (torch.linalg.svd, `full_matrices=False`): `u` `[…, m, k]`, `s` `[…, k]` descending,
    /// `vh` `[…, k, n]`, `k = min(m, n)`, `A = U diag(S) Vh`. LAPACK gesdd (divide and conquer,
    /// torch's CPU driver) in Float64. The signs of singular-vector pairs are LAPACK's; a loss
    /// should not depend on them.
    ///
    /// Backward (PyTorch, real case), with `E_jk = s_k² − s_j²` (1 on the diagonal) and
    /// `skew(X) = X − Xᵀ`: `gA = U [skew(Uᵀ gU)/E · S + S · skew(Vᵀ gV)/E + diag(gS)] Vh`, plus
    /// `(I − U Uᵀ) gU S⁻¹ Vh` when m > n or `U S⁻¹ gVh (I − V Vᵀ)` when m < n. **Caveat:** through
    /// `u` or `vh` the gradient is defined only for distinct (and, when m ≠ n, nonzero) singular
    /// values; near-repeated values make it huge, repeated ones infinite/NaN. A gradient through
    /// `s` alone is always defined (it is `U diag(gS) Vh`): prefer ``svdvals(_:)`` when only the
    /// values are needed.
    ///
    /// ```swift
    /// let (u, s, vh) = try Linalg.svd(x)    // [B, m, n] → [B, m, k], [B, k], [B, k, n]
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput`.
    public static func svd(_ a: Tensor) throws(LinalgError) -> (u: Tensor, s: Tensor, vh: Tensor) {
        let (u, s, vh) = try svdFactors(a, op: "linalg.svd")
        let outputs = recordOutputs(op: "linalg_svd", inputs: [a], outputs: [u, s, vh]) { g in
            [svdBackward(gU: g[0], gS: g[1], gVh: g[2], u: u, s: s, vh: vh)]
        }
        return (outputs[0], outputs[1], outputs[2])
    }

    /// Singular values of each matrix of `a` `[…, m, n]` → `[…, min(m, n)]`, descending
    /// (torch.linalg.svdvals). Backward: `gA = U diag(gS) Vh`, defined for every input.
    ///
    /// ```swift
    /// let s = try Linalg.svdvals(x)          // [B, k]
    /// ```
    /// - Throws: ``LinalgError`` `.noConvergence` or `.nonFiniteInput`.
    public static func svdvals(_ a: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.svdvals"
        guard Tensor.needsGradient(a) else { return try singularValues(a, op: op) }
        let (u, s, vh) = try svdFactors(a, op: op)
        return Tensor.record(op: "linalg_svdvals", inputs: [a], output: s) { g in
            [(u * g.unsqueeze(axis: -2)).matmul(vh)]                        // U diag(gS) Vh
        }
    }

    /// U, S, Vh of every matrix (gesdd, jobz "S"), not recorded.
    static func svdFactors(_ a: Tensor, op: String) throws(LinalgError) -> (u: Tensor, s: Tensor, vh: Tensor) {
        let (m, n) = matrixSize(a, op: op)
        let k = Swift.min(m, n)
        var work = try MatrixBatch.checked(a, op: op)
        let batch = work.batchShape
        var u = MatrixBatch(batchShape: batch, rows: m, cols: k)
        var vt = MatrixBatch(batchShape: batch, rows: k, cols: n)
        var s = VectorBatch(batchShape: batch, length: k)
        for b in 0..<work.count {
            let info = work.withMatrix(b) { ap in
                s.withVector(b) { sp in u.withMatrix(b) { up in vt.withMatrix(b) { Lapack.gesdd(m: m, n: n, a: ap, s: sp, u: up, vt: $0) } } }
            }
            try Lapack.check(info, op: op, batchIndex: b, kind: .noConvergence)
        }
        return (u.tensor(), s.tensor(), vt.tensor())
    }

    /// Singular values only (gesdd, jobz "N").
    static func singularValues(_ a: Tensor, op: String) throws(LinalgError) -> Tensor {
        let (m, n) = matrixSize(a, op: op)
        var work = try MatrixBatch.checked(a, op: op)
        var s = VectorBatch(batchShape: work.batchShape, length: Swift.min(m, n))
        for b in 0..<work.count {
            let info = work.withMatrix(b) { ap in s.withVector(b) { Lapack.gesddValues(m: m, n: n, a: ap, s: $0) } }
            try Lapack.check(info, op: op, batchIndex: b, kind: .noConvergence)
        }
        return s.tensor()
    }

    /// PyTorch's `svd_backward` (real case). A gradient that is all zeros counts as absent (the
    /// output was not used), as an undefined gradient does in torch, so a loss on `s` alone
    /// never divides by `E`.
    static func svdBackward(gU: Tensor, gS: Tensor, gVh: Tensor, u: Tensor, s: Tensor, vh: Tensor) -> Tensor {
        let m = u.shape[u.rank - 2], n = vh.shape[vh.rank - 1]
        let useU = !gU.isAllZero, useV = !gVh.isAllZero
        guard useU || useV else { return (u * gS.unsqueeze(axis: -2)).matmul(vh) }   // U diag(gS) Vh
        let e = s.square().pairwiseDifferences()                  // E_jk = s_k² − s_j²   […, k, k]
        let sRow = s.unsqueeze(axis: -2), sColumn = s.unsqueeze(axis: -1)
        var inner: Tensor                                           // […, k, k]
        if useU && useV {
            inner = (skew(u.mT.matmul(gU)) * sRow + sColumn * skew(vh.matmul(gVh.mT))) / e
        } else if useU {
            inner = skew(u.mT.matmul(gU)) / e * sRow
        } else {
            inner = sColumn * (skew(vh.matmul(gVh.mT)) / e)
        }
        inner = inner + gS.diagonalEmbedded()
        if m > n && useU {
            let gUSinv = gU / sRow                                  // gU S⁻¹              […, m, k]
            let gA = u.matmul(inner) + gUSinv - u.matmul(u.mT.matmul(gUSinv))
            return gA.matmul(vh)
        }
        if m < n && useV {
            let sinvGVh = gVh / sColumn                             // S⁻¹ gVh             […, k, n]
            let gA = inner.matmul(vh) + sinvGVh - sinvGVh.matmul(vh.mT).matmul(vh)
            return u.matmul(gA)
        }
        return u.matmul(inner.matmul(vh))
    }

    /// `X − Xᵀ`.
    static func skew(_ x: Tensor) -> Tensor { x - x.mT }
}

extension Tensor {
    /// True when every element is exactly zero.
    var isAllZero: Bool { withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } } }
}
