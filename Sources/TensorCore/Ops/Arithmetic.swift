import CKernels

// Broadcasting + − × ÷ between tensors, and their scalar forms. Gradients of broadcast
// operands are summed back to the operand's shape.
extension Tensor {
    /// Elementwise sum with broadcasting.
    ///
    /// ```swift
    /// let y = x + bias           // [B, T, H] + [H]
    /// ```
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = ElementwiseKernel.binary(TC_ADD, a, b, name: "add")
        let sa = a.shape, sb = b.shape
        let needA = a.requiresGrad, needB = b.requiresGrad
        return record(op: "add", inputs: [a, b], output: out) { g in
            [needA ? g.sumToShape(sa) : nil, needB ? g.sumToShape(sb) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = ElementwiseKernel.binary(TC_SUB, a, b, name: "sub")
        let sa = a.shape, sb = b.shape
        let needA = a.requiresGrad, needB = b.requiresGrad
        return record(op: "sub", inputs: [a, b], output: out) { g in
            [needA ? g.sumToShape(sa) : nil, needB ? (-g).sumToShape(sb) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = ElementwiseKernel.binary(TC_MUL, a, b, name: "mul")
        guard needsGradient(a, b) else { return out }
        let sa = a.shape, sb = b.shape
        let needA = a.requiresGrad, needB = b.requiresGrad
        // Keep only what backward reads: b for ∂/∂a, a for ∂/∂b.
        let ad = needB ? a.detached() : Tensor.zeros([0]), bd = needA ? b.detached() : Tensor.zeros([0])
        return record(op: "mul", inputs: [a, b], output: out) { g in
            [needA ? (g * bd).sumToShape(sa) : nil, needB ? (g * ad).sumToShape(sb) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = ElementwiseKernel.binary(TC_DIV, a, b, name: "div")
        guard needsGradient(a, b) else { return out }
        let sa = a.shape, sb = b.shape
        let needA = a.requiresGrad, needB = b.requiresGrad
        let bd = b.detached(), outd = needB ? out.detached() : Tensor.zeros([0])
        return record(op: "div", inputs: [a, b], output: out) { g in
            let gOverB = g / bd                                   // ∂/∂a = 1/b
            return [needA ? gOverB.sumToShape(sa) : nil,
                    needB ? (-(gOverB * outd)).sumToShape(sb) : nil]  // ∂/∂b = −a/b² = −out/b
        }
    }

    /// Negation.
    public static prefix func - (x: Tensor) -> Tensor { x.neg() }

    /// Negation (`-x`).
    public func neg() -> Tensor {
        let out = ElementwiseKernel.unary(TC_NEG, self)
        return Tensor.record(op: "neg", inputs: [self], output: out) { g in [-g] }
    }

    // MARK: Scalar forms

    /// `x + s` elementwise.
    public static func + (x: Tensor, s: Float) -> Tensor {
        let out = ElementwiseKernel.unary(TC_ADD_SCALAR, x, parameter: s)
        return record(op: "add_scalar", inputs: [x], output: out) { g in [g] }
    }
    /// `s + x` elementwise.
    public static func + (s: Float, x: Tensor) -> Tensor { x + s }
    /// `x - s` elementwise.
    public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }
    /// `s - x` elementwise.
    public static func - (s: Float, x: Tensor) -> Tensor {
        let out = ElementwiseKernel.unary(TC_RSUB, x, parameter: s)
        return record(op: "rsub_scalar", inputs: [x], output: out) { g in [-g] }
    }
    /// `x * s` elementwise.
    public static func * (x: Tensor, s: Float) -> Tensor {
        let out = ElementwiseKernel.unary(TC_SCALE, x, parameter: s)
        return record(op: "mul_scalar", inputs: [x], output: out) { g in [g * s] }
    }
    /// `s * x` elementwise.
    public static func * (s: Float, x: Tensor) -> Tensor { x * s }
    /// `x / s` elementwise.
    public static func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }
    /// `s / x` elementwise.
    public static func / (s: Float, x: Tensor) -> Tensor {
        let out = ElementwiseKernel.unary(TC_RDIV, x, parameter: s)
        guard needsGradient(x) else { return out }
        let xd = x.detached(), outd = out.detached()
        return record(op: "rdiv_scalar", inputs: [x], output: out) { g in
            [-(g * outd / xd)]                                    // d(s/x)/dx = −s/x² = −out/x
        }
    }

    // MARK: Non-recording helpers (used by autograd and optimizers)

    /// `self + other` (same shape) without recording.
    func adding(_ other: Tensor) -> Tensor {
        ElementwiseKernel.binary(TC_ADD, detached(), other.detached(), name: "add")
    }

    /// Adds `scale · other` (broadcast to this shape) into this tensor in place, without
    /// recording. Copy-on-write rules as for ``withUnsafeMutableBufferPointer(_:)``.
    ///
    /// ```swift
    /// param.value.addInPlace(update, scale: -learningRate)
    /// ```
    public mutating func addInPlace(_ other: Tensor, scale: Float = 1) {
        prepareForWrite(op: "addInPlace", needContiguous: false)
        let src = scale == 1 ? other.detached() : ElementwiseKernel.unary(TC_SCALE, other.detached(), parameter: scale)
        let so = src.broadcastStrides(to: shape, op: "addInPlace")
        let pd = baseAddress, ps = src.baseAddress
        StridedLoop.forEachRun(shape: shape, strides, so, strides, parallel: true) { run in
            tc_binary(Int32(TC_ADD), pd + run.offset0, Int64(run.stride0), ps + run.offset1, Int64(run.stride1),
                      pd + run.offset0, Int64(run.stride0), Int64(run.count))
        }
    }
}
