import CKernels

extension Tensor {
    /// Fused affine map `x·Wᵀ + b` over the last dimension, with `weight` in `[out, in]`
    /// layout: the op behind ``Linear``.
    ///
    /// Forward: leading dimensions of `x` fold into rows (a copy only if they cannot), the bias
    /// is broadcast into the output and one sgemm with `CblasTrans` accumulates onto it.
    /// Backward: dX = G·W and dW = Gᵀ·X are single sgemms (dW directly in `[out, in]`), db is a
    /// column sum of G.
    ///
    /// ```swift
    /// let y = Tensor.linear(x, weight: w, bias: b)     // [B, T, in] → [B, T, out]
    /// ```
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        check(weight.rank == 2 && x.rank >= 1 && x.shape[x.rank - 1] == weight.shape[1],
                     "linear: input shape \(x.shape) does not match weight shape \(weight.shape) ([out, in])")
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        if let bias {
            check(bias.shape == [outFeatures], "linear: bias shape \(bias.shape) does not match weight shape \(weight.shape)")
        }
        let leading = Array(x.shape.dropLast())
        let rows = leading.reduce(1, *)
        let x2 = foldRows(x, rows: rows, cols: inFeatures)          // [R, in] view when possible
        let out = Tensor.empty(leading + [outFeatures])
        let beta: Float
        if let bias {
            let b = bias.contiguousValues()
            let pb = UnsafePointer(b.baseAddress), po = out.baseAddress
            withExtendedLifetime(b) {
                // Row copies on all cores: for [4096, 3072] outputs this is 50 MB of writes.
                KernelParallel.forEachRowRange(rows: rows, rowSize: outFeatures) { start, count in
                    for r in start..<(start + count) { (po + r * outFeatures).update(from: pb, count: outFeatures) }
                }
            }
            beta = 1
        } else {
            beta = 0
        }
        let w = Gemm.blasReadable(weight)
        Gemm.raw(m: rows, n: outFeatures, k: inFeatures,
                 a: x2.baseAddress, aLayout: Gemm.layout(of: x2)!,
                 b: w.baseAddress, bLayout: flipped(Gemm.layout(of: w)!),   // Wᵀ
                 c: out.baseAddress, cLayout: (false, outFeatures), beta: beta)
        guard needsGradient(x, weight) || (bias.map { needsGradient($0) } ?? false) else { return out }
        let needX = x.requiresGrad, needW = weight.requiresGrad, needB = bias?.requiresGrad ?? false
        // Keep only what backward reads: W for dX, X for dW.
        let xd = needW ? x2.detached() : Tensor.zeros([0]), wd = needX ? w.detached() : Tensor.zeros([0])
        let xShape = x.shape
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return record(op: "linear", inputs: inputs, output: out) { g in
            let g2 = foldRows(g, rows: rows, cols: outFeatures)           // [R, out]
            let gLayout = Gemm.layout(of: g2)!
            var dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil
            if needX {
                let c = Tensor.empty(xShape)                                 // dX = G·W  [R, in]
                Gemm.raw(m: rows, n: inFeatures, k: outFeatures, a: g2.baseAddress, aLayout: gLayout,
                         b: wd.baseAddress, bLayout: Gemm.layout(of: wd)!,
                         c: c.baseAddress, cLayout: (false, inFeatures), beta: 0)
                dx = c
            }
            if needW {
                let c = Tensor.empty([outFeatures, inFeatures])              // dW = Gᵀ·X  [out, in]
                Gemm.raw(m: outFeatures, n: inFeatures, k: rows, a: g2.baseAddress, aLayout: flipped(gLayout),
                         b: xd.baseAddress, bLayout: Gemm.layout(of: xd)!,
                         c: c.baseAddress, cLayout: (false, inFeatures), beta: 0)
                dw = c
            }
            if needB { db = g2.sum(axes: [0]) }                               // [out]
            return bias == nil ? [dx, dw] : [dx, dw, db]
        }
    }

    /// `t` as a BLAS-readable `[rows, cols]` matrix over its leading dimensions (a view when
    /// they merge, else a contiguous copy).
    private static func foldRows(_ t: Tensor, rows: Int, cols: Int) -> Tensor {
        if t.rank == 2, Gemm.layout(of: t) != nil { return t.detached() }
        if t.shape[t.rank - 1] == cols, cols == 1 || t.strides[t.rank - 1] == 1,
           let rowStride = Gemm.mergedStride(t, dims: Array(0..<(t.rank - 1))), rowStride >= cols || rows == 1 {
            let stride = rows == 1 ? cols : rowStride
            return Tensor(shape: [rows, cols], strides: [stride, 1], offset: t.offset, storage: t.storage)
        }
        MatmulTraceBox.recordCopy()
        return t.contiguousValues().detached().reshape([rows, cols])
    }

    private static func flipped(_ layout: (trans: Bool, ld: Int)) -> (trans: Bool, ld: Int) {
        (!layout.trans, layout.ld)
    }
}
