extension Linalg {
    /// Solves `A X = B` (torch.linalg.solve): `a` `[…, n, n]`, `b` `[…, n, k]` or a vector
    /// `[…, n]` (1-D, or `a`'s shape without its last dimension). Batch dimensions broadcast.
    ///
    /// Backward (PyTorch): `gB = A⁻ᵀ gX`, `gA = −gB Xᵀ`, solved with the forward's LU factors.
    ///
    /// ```swift
    /// let x = try Linalg.solve(a, b)        // [B, n, n] × [B, n, k] → [B, n, k]
    /// ```
    /// - Throws: ``LinalgError`` `.singular` (a zero pivot) or `.nonFiniteInput`.
    public static func solve(_ a: Tensor, _ b: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.solve"
        let n = squareSize(a, op: op)
        if isVectorRightHandSide(a, b) {
            return try solve(a, b.unsqueeze(axis: -1)).squeeze(axis: -1)
        }
        precondition(b.rank >= 2 && b.shape[b.rank - 2] == n,
                     "\(op): right-hand side of shape \(b.shape) does not fit matrices of shape \(a.shape)")
        let (a, b) = broadcastBatch(a, b, op: op)
        let factors = try LUFactors(a, op: op)
        try factors.requireNonsingular(op: op)
        let x = factors.solve(transpose: false, try MatrixBatch.checked(b, op: op)).tensor()  // […, n, k]
        guard Tensor.needsGradient(a, b) else { return x }
        let needA = a.requiresGrad
        return Tensor.record(op: "linalg_solve", inputs: [a, b], output: x) { g in
            let gB = factors.solve(transpose: true, MatrixBatch(g)).tensor()  // A⁻ᵀ gX   […, n, k]
            return [needA ? (gB.matmul(x.mT)).neg() : nil, gB]               // −gB Xᵀ  […, n, n]
        }
    }

    /// The inverse of each matrix of `a` `[…, n, n]` (torch.linalg.inv).
    ///
    /// Backward (PyTorch): `gA = −A⁻ᵀ gY A⁻ᵀ`.
    ///
    /// ```swift
    /// let inv = try Linalg.inverse(a)        // [B, n, n]
    /// ```
    /// - Throws: ``LinalgError`` `.singular` or `.nonFiniteInput`.
    public static func inverse(_ a: Tensor) throws(LinalgError) -> Tensor {
        let op = "linalg.inv"
        let n = squareSize(a, op: op)
        let factors = try LUFactors(a, op: op)
        try factors.requireNonsingular(op: op)
        let batch = Array(a.shape.dropLast(2))
        let identity = MatrixBatch.scaledIdentity(batchShape: batch, rows: n, cols: n,
                                                  scale: [Double](repeating: 1, count: factors.lu.count))
        let y = factors.solve(transpose: false, identity).tensor()  // […, n, n]
        guard Tensor.needsGradient(a) else { return y }
        return Tensor.record(op: "linalg_inv", inputs: [a], output: y) { g in
            [y.mT.matmul(g.matmul(y.mT)).neg()]                   // −Yᵀ gY Yᵀ  […, n, n]
        }
    }
}
