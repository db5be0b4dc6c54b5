/// Which formula ``Tensor/gelu(approximation:)`` evaluates.
public enum GeluApproximation: Sendable, Equatable {
    /// The exact form x/2 · (1 + erf(x/√2)) — Hugging Face `"gelu"`.
    case none
    /// The tanh form x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³))) — Hugging Face `"gelu_new"`
    /// (also `"gelu_pytorch_tanh"`).
    case tanh
}

// Elementwise activations. Each is one fused, vectorised C pass forward and one backward
// (see ActivationKernel); the transcendental functions are polynomial/rational
// approximations with stated error bounds (Sources/CKernels/ck_math.h), not libm calls.
extension Tensor {
    /// Hyperbolic tangent, elementwise (relative error < 2e-7 against libm).
    ///
    /// ```swift
    /// let y = x.tanh()      // same shape as x
    /// ```
    public func tanh() -> Tensor { applyActivation(.tanh, op: "tanh") }

    /// Logistic sigmoid 1 / (1 + e⁻ˣ), elementwise.
    ///
    /// ```swift
    /// let p = logits.sigmoid()
    /// ```
    public func sigmoid() -> Tensor { applyActivation(.sigmoid, op: "sigmoid") }

    /// Gauss error function, elementwise (absolute error < 4e-7 against libm).
    ///
    /// ```swift
    /// let y = x.erf()
    /// ```
    public func erf() -> Tensor { applyActivation(.erf, op: "erf") }

    /// Gaussian error linear unit.
    ///
    /// - Parameter approximation: `.none` for the exact erf form (Hugging Face `"gelu"`),
    ///   `.tanh` for the tanh form (Hugging Face `"gelu_new"`).
    /// - Returns: a tensor of the same shape.
    ///
    /// ```swift
    /// let h = x.gelu()                          // BERT's intermediate activation
    /// let h2 = x.gelu(approximation: .tanh)     // GPT-2 style
    /// ```
    public consuming func gelu(approximation: GeluApproximation = .none) -> Tensor {
        switch approximation {
        case .none: return applyActivation(.gelu, op: "gelu")
        case .tanh: return applyActivation(.geluTanh, op: "gelu_tanh")
        }
    }

    /// Quick GELU, x · sigmoid(1.702 x) (Hugging Face `"quick_gelu"`).
    ///
    /// ```swift
    /// let h = x.quickGelu()
    /// ```
    public func quickGelu() -> Tensor { applyActivation(.xSigmoid(alpha: 1.702), op: "quick_gelu") }

    /// SiLU / swish, x · sigmoid(x) (Hugging Face `"silu"`, `"swish"`).
    ///
    /// ```swift
    /// let h = x.silu()
    /// ```
    public func silu() -> Tensor { applyActivation(.xSigmoid(alpha: 1), op: "silu") }
}
