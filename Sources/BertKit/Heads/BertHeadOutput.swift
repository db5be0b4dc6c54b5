import TensorCore

/// What the single-logits heads return (masked LM, NSP, sequence / token classification,
/// multiple choice, causal LM).
public struct BertHeadOutput: @unchecked Sendable {
    /// The head's loss (HF formula); nil without labels.
    public var loss: Tensor?
    /// Head logits; the shape depends on the head (documented on each).
    public var logits: Tensor
    public var hiddenStates: [Tensor]?
    public var attentions: [Tensor]?
}
