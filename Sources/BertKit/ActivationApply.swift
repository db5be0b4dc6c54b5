import TensorCore

extension Activation {
    /// Applies the activation elementwise (differentiable).
    public func apply(_ x: Tensor) -> Tensor {
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
