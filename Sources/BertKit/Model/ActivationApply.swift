import TensorCore

extension Activation {
    /// Applies the activation elementwise (differentiable).
    /// A temporary input (e.g. `apply(dense(x))`) may be overwritten when no gradient is
    /// recorded (the GELUs compute in place then).
    public func apply(_ x: consuming Tensor) -> Tensor {
        switch self {
        case .gelu, .geluPython: return x.gelu(approximation: .none)
        case .geluNew, .geluFast, .geluPytorchTanh: return x.gelu(approximation: .tanh)
        case .quickGelu: return x.quickGelu()
        case .relu: return x.relu()
        case .silu, .swish: return x.silu()
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .linear: return x
        }
    }
}
