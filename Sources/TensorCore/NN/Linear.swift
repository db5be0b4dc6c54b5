/// Fully connected layer `y = x·Wᵀ + b` with the weight in Hugging Face / PyTorch layout
/// `[outFeatures, inFeatures]`.
///
/// The forward runs one `cblas_sgemm` with `CblasTrans` on the weight (no copy), folding all
/// leading dimensions of `x` (`[B, T, in]` → `[B·T, in]`), with the bias written first and the
/// product accumulated onto it (beta = 1). Backward also uses sgemm (see ``Tensor/linear(_:weight:bias:)``).
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let dense = Linear(inFeatures: 768, outFeatures: 3072, generator: &rng)
/// let h = dense(x)                       // [B, T, 768] → [B, T, 3072]
/// dense.namedParameters().map(\.0)       // ["weight", "bias"]
/// ```
public final class Linear: Module {
    /// How to draw the initial weight.
    public enum Initialization: Sendable {
        /// PyTorch `nn.Linear` default: weight and bias ~ U(−1/√in, 1/√in)
        /// (Kaiming-uniform with a = √5).
        case kaimingUniform
        /// Weight ~ N(0, std²), bias 0 (Hugging Face BERT `_init_weights`, std = 0.02).
        case normal(std: Float)
        /// Weight ~ N(0, std²) truncated at ±2·std, bias 0 (original TF BERT).
        case truncatedNormal(std: Float)
    }

    /// `[outFeatures, inFeatures]`.
    public let weight: Parameter
    /// `[outFeatures]`, when the layer has a bias.
    public let bias: Parameter?
    public let inFeatures: Int
    public let outFeatures: Int
    public var children: [ModuleChild] { [.init("weight", weight), .init("bias", bias)] }

    /// A layer with freshly initialised parameters.
    /// - Parameters:
    ///   - bias: whether to add a learned bias.
    ///   - initialization: weight distribution (default: PyTorch's).
    ///   - generator: the random stream to draw from.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true,
                initialization: Initialization = .kaimingUniform, generator: inout RandomGenerator) {
        precondition(inFeatures > 0 && outFeatures > 0,
                     "Linear: features must be positive, got in \(inFeatures) out \(outFeatures)")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let shape = [outFeatures, inFeatures]
        let bound = 1 / Float(inFeatures).squareRoot()
        let w: Tensor
        switch initialization {
        case .kaimingUniform: w = Tensor.uniform(shape, low: -bound, high: bound, generator: &generator)
        case .normal(let std): w = Tensor.normal(shape, mean: 0, std: std, generator: &generator)
        case .truncatedNormal(let std): w = Tensor.truncatedNormal(shape, mean: 0, std: std, generator: &generator)
        }
        weight = Parameter(w, name: "weight")
        if bias {
            let b: Tensor
            if case .kaimingUniform = initialization {
                b = Tensor.uniform([outFeatures], low: -bound, high: bound, generator: &generator)
            } else {
                b = Tensor.zeros([outFeatures])
            }
            self.bias = Parameter(b, name: "bias")
        } else {
            self.bias = nil
        }
    }

    /// A layer around existing parameters (e.g. loaded from a checkpoint).
    public init(weight: Parameter, bias: Parameter?) {
        precondition(weight.shape.count == 2, "Linear: weight must be [out, in], got \(weight.shape)")
        if let bias {
            precondition(bias.shape == [weight.shape[0]], "Linear: bias shape \(bias.shape) does not match weight \(weight.shape)")
        }
        self.weight = weight
        self.bias = bias
        self.outFeatures = weight.shape[0]
        self.inFeatures = weight.shape[1]
    }

    /// `x·Wᵀ + b` for `x` of shape `[…, inFeatures]`; returns `[…, outFeatures]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }
}
