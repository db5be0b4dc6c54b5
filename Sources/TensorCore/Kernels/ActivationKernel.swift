import CKernels

/// The elementwise transcendental kernels of `CKernels` (vectorised approximations, see
/// `Sources/CKernels/ck_math.h` for their accuracy), and the shared plumbing that turns one into
/// a differentiable op: contiguous input, one fused forward pass, one fused backward pass.
enum ActivationKernel: Sendable {
    case tanh, sigmoid, erf, gelu, geluTanh
    /// x · sigmoid(alpha · x): SiLU (alpha = 1) and quick GELU (alpha = 1.702).
    case xSigmoid(alpha: Float)

    /// Whether the backward needs the op's output (true) or its input (false).
    var backwardUsesOutput: Bool {
        switch self {
        case .tanh, .sigmoid: return true
        case .erf, .gelu, .geluTanh, .xSigmoid: return false
        }
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let n = Int64(n)
        switch self {
        case .tanh: ck_tanh_f32(x, y, n)
        case .sigmoid: ck_sigmoid_f32(x, y, n)
        case .erf: ck_erf_f32(x, y, n)
        case .gelu: ck_gelu_forward(x, y, n)
        case .geluTanh: ck_gelu_tanh_forward(x, y, n)
        case .xSigmoid(let alpha): ck_xsigmoid_forward(x, y, alpha, n)
        }
    }

    /// Whether ``forwardInPlace(_:_:)`` exists for this kernel (the GELUs).
    var hasInPlaceForward: Bool {
        switch self {
        case .gelu, .geluTanh: return true
        default: return false
        }
    }

    /// The forward overwriting its input; only when ``hasInPlaceForward``.
    func forwardInPlace(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .gelu: ck_gelu_forward_inplace(x, Int64(n))
        case .geluTanh: ck_gelu_tanh_forward_inplace(x, Int64(n))
        default: checkFailure("forwardInPlace: no in-place variant for \(self)")
        }
    }

    /// `saved` is the output or the input, per ``backwardUsesOutput``.
    func backward(_ saved: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let n = Int64(n)
        switch self {
        case .tanh: ck_tanh_backward(saved, dy, dx, n)
        case .sigmoid: ck_sigmoid_backward(saved, dy, dx, n)
        case .erf: ck_erf_backward(saved, dy, dx, n)
        case .gelu: ck_gelu_backward(saved, dy, dx, n)
        case .geluTanh: ck_gelu_tanh_backward(saved, dy, dx, n)
        case .xSigmoid(let alpha): ck_xsigmoid_backward(saved, dy, dx, alpha, n)
        }
    }
}

extension Tensor {
    /// Applies `kernel` elementwise (split across cores for large tensors) and records its
    /// analytic backward.
    ///
    /// Without a gradient to record, a contiguous input whose storage nothing else references
    /// (a temporary handed over by a `consuming` caller) is overwritten instead of copied.
    consuming func applyActivation(_ kernel: ActivationKernel, op: String) -> Tensor {
        if kernel.hasInPlaceForward, node == nil, isContiguous,
           isKnownUniquelyReferenced(&storage) {
            let base = baseAddress
            KernelParallel.forEachElementRange(count: count) { start, length in
                kernel.forwardInPlace(base + start, length)
            }
            return self
        }
        return applyActivationCopying(kernel, op: op)
    }

    private func applyActivationCopying(_ kernel: ActivationKernel, op: String) -> Tensor {
        let x = detached().contiguous()
        let out = Tensor.empty(shape)
        let px = UnsafePointer(x.baseAddress), py = out.baseAddress
        withExtendedLifetime(x) {
            KernelParallel.forEachElementRange(count: count) { start, length in
                kernel.forward(px + start, py + start, length)
            }
        }
        guard Tensor.needsGradient(self) else { return out }
        let saved = kernel.backwardUsesOutput ? out : x
        let shape = self.shape
        return Tensor.record(op: op, inputs: [self], output: out) { g in
            let gc = g.contiguous()
            let dx = Tensor.empty(shape)
            let ps = UnsafePointer(saved.baseAddress), pg = UnsafePointer(gc.baseAddress)
            let pd = dx.baseAddress
            withExtendedLifetime((saved, gc)) {
                KernelParallel.forEachElementRange(count: dx.count) { start, length in
                    kernel.backward(ps + start, pg + start, pd + start, length)
                }
            }
            return [dx]
        }
    }
}

