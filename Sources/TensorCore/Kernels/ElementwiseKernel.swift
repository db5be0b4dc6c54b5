import CKernels

/// Forward-only elementwise and reduction loops over strided tensors (no graph recording).
/// The differentiable ops are built on these.
enum ElementwiseKernel {
    /// `op(a, b)` broadcast to a new contiguous tensor.
    static func binary(_ op: Int, _ a: Tensor, _ b: Tensor, name: String) -> Tensor {
        let shape = Tensor.broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor.empty(shape)
        let sa = a.broadcastStrides(to: shape, op: name)
        let sb = b.broadcastStrides(to: shape, op: name)
        let pa = a.baseAddress, pb = b.baseAddress, po = out.baseAddress
        let code = Int32(op)
        StridedLoop.forEachRun(shape: shape, out.strides, sa, sb, parallel: true) { run in
            tc_binary(code, pa + run.offset1, Int64(run.stride1), pb + run.offset2, Int64(run.stride2),
                      po + run.offset0, Int64(run.stride0), Int64(run.count))
        }
        return out
    }

    /// `op(x; parameter)` into a new contiguous tensor.
    static func unary(_ op: Int, _ x: Tensor, parameter: Float = 0) -> Tensor {
        let out = Tensor.empty(x.shape)
        unary(op, x, into: out, parameter: parameter)
        return out
    }

    /// `op(x; parameter)` written through `out`'s layout (same shape as `x`). `out` must own its
    /// memory exclusively; this bypasses copy-on-write.
    static func unary(_ op: Int, _ x: Tensor, into out: Tensor, parameter: Float = 0) {
        check(x.shape == out.shape, "unary kernel: shapes \(x.shape) and \(out.shape) differ")
        let px = x.baseAddress, po = out.baseAddress
        let code = Int32(op)
        StridedLoop.forEachRun(shape: x.shape, out.strides, x.strides, x.strides, parallel: true) { run in
            tc_unary(code, px + run.offset1, Int64(run.stride1), po + run.offset0, Int64(run.stride0),
                     Int64(run.count), parameter)
        }
    }

    /// Reduces `x` over `axes` with `op` (TC_SUM / TC_MAX / TC_MIN) into a new contiguous
    /// tensor of the keep-dim shape (reduced axes have size 1).
    static func reduce(_ op: Int, _ x: Tensor, axes: Set<Int>) -> Tensor {
        var outShape = x.shape
        for axis in axes { outShape[axis] = 1 }
        let initial: Float = op == TC_SUM ? 0 : (op == TC_MAX ? -Float.infinity : Float.infinity)
        let out = Tensor.full(outShape, value: initial)
        var outStrides = out.strides
        for axis in axes { outStrides[axis] = 0 }
        let px = x.baseAddress, po = out.baseAddress
        let code = Int32(op)
        // Iterate in the input's memory order where possible: put the axis with the smallest
        // input stride last so the inner run is contiguous in the input.
        let order = x.shape.indices.sorted { x.strides[$0] != x.strides[$1] ? x.strides[$0] > x.strides[$1] : $0 < $1 }
        let shape = order.map { x.shape[$0] }
        let so = order.map { outStrides[$0] }
        let sx = order.map { x.strides[$0] }
        StridedLoop.forEachRun(shape: shape, so, sx, sx, parallel: false) { run in
            tc_reduce(code, px + run.offset1, Int64(run.stride1), po + run.offset0, Int64(run.stride0),
                      Int64(run.count))
        }
        return out
    }
}
