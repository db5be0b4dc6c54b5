/// The feed-forward and MLM-transform activation named by `hidden_act` in a Hugging Face config.
///
/// Raw values are the exact strings `transformers` uses (`ACT2FN`):
/// ```swift
/// let act = try Activation(name: "gelu_new")   // tanh-approximated GELU
/// let y = act.apply(x)                          // [.., H]
/// ```
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// Exact GELU, x·Φ(x) with erf (HF "gelu").
    case gelu
    /// Tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) (HF "gelu_new").
    case geluNew = "gelu_new"
    /// Same tanh approximation, HF's "gelu_fast" spelling.
    case geluFast = "gelu_fast"
    /// Same tanh approximation, HF's "gelu_pytorch_tanh" spelling.
    case geluPytorchTanh = "gelu_pytorch_tanh"
    /// Exact GELU computed in Python by HF ("gelu_python"): identical to `gelu`.
    case geluPython = "gelu_python"
    /// x·sigmoid(1.702x) (HF "quick_gelu").
    case quickGelu = "quick_gelu"
    case relu
    /// x·sigmoid(x).
    case silu
    /// Alias of `silu`.
    case swish
    case tanh
    case sigmoid
    /// Identity.
    case linear

    /// Parses an HF activation name; throws `BertError.invalidConfig` for an unknown one.
    public init(name: String) throws {
        guard let a = Activation(rawValue: name) else {
            throw BertError.invalidConfig(
                "hidden_act \"\(name)\" is not supported (expected one of: "
                    + Activation.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        self = a
    }
}
