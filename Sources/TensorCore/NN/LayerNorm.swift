/// Layer normalisation over the last axis with a learned scale and shift, as
/// `torch.nn.LayerNorm(dimension, eps)`; parameters `weight` (ones) and `bias` (zeros) carry the
/// Hugging Face names (`….LayerNorm.weight`, `….LayerNorm.bias`).
///
/// ```swift
/// let norm = LayerNorm(dimension: 768, eps: 1e-12)
/// let h = norm(x + residual)             // [B, T, 768]
/// norm.namedParameters().map(\.0)        // ["weight", "bias"]
/// ```
public final class LayerNorm: Module {
    /// Scale, `[dimension]`.
    public let weight: Parameter
    /// Shift, `[dimension]`.
    public let bias: Parameter
    /// Added to the variance (PyTorch's default 1e-5; BERT uses 1e-12).
    public let eps: Float
    public let dimension: Int
    public var children: [ModuleChild] { [.init("weight", weight), .init("bias", bias)] }

    /// A layer with weight 1 and bias 0.
    public init(dimension: Int, eps: Float = 1e-5) {
        precondition(dimension > 0, "LayerNorm: dimension must be positive, got \(dimension)")
        self.weight = Parameter(Tensor.ones([dimension]), name: "weight")
        self.bias = Parameter(Tensor.zeros([dimension]), name: "bias")
        self.eps = eps
        self.dimension = dimension
    }

    /// A layer around existing parameters (e.g. loaded from a checkpoint).
    public init(weight: Parameter, bias: Parameter, eps: Float = 1e-5) {
        precondition(weight.shape.count == 1 && bias.shape == weight.shape,
                     "LayerNorm: weight \(weight.shape) and bias \(bias.shape) must be equal 1-D shapes")
        self.weight = weight
        self.bias = bias
        self.eps = eps
        self.dimension = weight.shape[0]
    }

    /// Normalises `x` (`[…, dimension]`) over its last axis.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight.value, bias: bias.value, eps: eps)
    }

    /// Normalises `x + residual` in one fused pass (see ``Tensor/layerNorm(adding:weight:bias:eps:)``).
    ///
    /// ```swift
    /// let h = norm(dense(context), residual: hidden)   // LayerNorm(dense(context) + hidden)
    /// ```
    public func callAsFunction(_ x: Tensor, residual: Tensor) -> Tensor {
        x.layerNorm(adding: residual, weight: weight.value, bias: bias.value, eps: eps)
    }
}
