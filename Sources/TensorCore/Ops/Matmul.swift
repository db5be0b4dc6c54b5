extension Tensor {
    /// Matrix product through `cblas_sgemm`, with NumPy `matmul` semantics: 2-D × 2-D,
    /// batched `[…, M, K] × […, K, N]` with broadcasting batch dimensions, and 1-D operands
    /// promoted (and the added dimension removed). Transposed views are read with BLAS
    /// transpose flags, never copied; `[B, T, K] × [K, N]` runs as one `[B·T, K]` gemm.
    /// Backward uses sgemm as well.
    ///
    /// ```swift
    /// let y = x.matmul(weight.transposed())      // [B, T, in] × [in, out] → [B, T, out]
    /// let scores = q.matmul(k.transposed())      // [B, H, T, D] × [B, H, D, T]
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 1 && other.rank >= 1,
                     "matmul: needs operands of rank ≥ 1, got shapes \(shape) and \(other.shape)")
        if rank == 1 { return unsqueeze(axis: 0).matmul(other).squeeze(axis: -2) }
        if other.rank == 1 { return matmul(other.unsqueeze(axis: 1)).squeeze(axis: -1) }
        let m = shape[rank - 2], k = shape[rank - 1]
        let k2 = other.shape[other.rank - 2], n = other.shape[other.rank - 1]
        precondition(k == k2, "matmul: inner dimensions differ for shapes \(shape) and \(other.shape)")
        let batch = Tensor.broadcastShapes(Array(shape.dropLast(2)), Array(other.shape.dropLast(2)), op: "matmul")
        let out = Tensor.empty(batch + [m, n])
        Gemm.batched(self, other, into: out, beta: 0)
        guard Tensor.needsGradient(self, other) else { return out }
        let needA = requiresGrad, needB = other.requiresGrad
        // Keep only what backward reads: B for dA, A for dB.
        let a: Tensor? = needB ? detached() : nil, b: Tensor? = needA ? other.detached() : nil
        let aShape = shape, bShape = other.shape
        let aColumnMajor = Tensor.isColumnMajorMatrix(self), bColumnMajor = Tensor.isColumnMajorMatrix(other)
        return Tensor.record(op: "matmul", inputs: [self, other], output: out) { g in
            [needA ? Tensor.matmulGradient(shape: aShape, columnMajor: aColumnMajor, g, b!.transposed()) : nil,  // dA = G·Bᵀ
             needB ? Tensor.matmulGradient(shape: bShape, columnMajor: bColumnMajor, a!.transposed(), g) : nil]  // dB = Aᵀ·G
        }
    }

    /// True for a 2-D operand stored column-major (e.g. a transposed weight view): its
    /// gradient is then produced in the same layout, so the transpose's backward hands a
    /// contiguous gradient to the weight.
    static func isColumnMajorMatrix(_ t: Tensor) -> Bool {
        guard t.rank == 2, t.shape[0] > 1, t.shape[1] > 1, let lay = Gemm.layout(of: t) else { return false }
        return lay.trans
    }

    /// `x · y` summed over broadcast batch dimensions to `shape`, written column-major when
    /// `columnMajor` (2-D only).
    static func matmulGradient(shape: [Int], columnMajor: Bool, _ x: Tensor, _ y: Tensor) -> Tensor {
        if columnMajor {
            let c = Tensor.empty([shape[1], shape[0]]).transposed()
            Gemm.batched(x, y, into: c, beta: 0)
            return c
        }
        let c = Tensor.empty(shape)
        Gemm.batched(x, y, into: c, beta: 0)
        return c
    }
}
