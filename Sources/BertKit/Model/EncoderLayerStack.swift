import TensorCore

/// One transformer layer of an encoder stack (``BertLayer``, ``DistilBertTransformerBlock``):
/// hidden states in, hidden states out, and the attention probabilities when asked.
protocol EncoderLayer: Module {
    func callAsFunction(_ hidden: Tensor, mask: Tensor, keepProbabilities: Bool,
                        packing: TokenPacking?) -> (output: Tensor, probabilities: Tensor?)
}

extension BertLayer: EncoderLayer {}
extension DistilBertTransformerBlock: EncoderLayer {}

/// Runs `layers` in order on `hidden` — the forward pass of ``BertEncoder`` and
/// ``DistilBertTransformer`` — keeping every layer's output and attention probabilities when asked.
/// - Returns: the last hidden state [B, T, H] (or [N, H] packed), the kept outputs, the kept
///   probabilities [B, A, T, T].
func runEncoderLayers<Layer: EncoderLayer>(
    _ layers: [Layer], _ hidden: Tensor, mask: Tensor, keepHiddenStates: Bool, keepAttentions: Bool,
    packing: TokenPacking?
) -> (last: Tensor, hiddenStates: [Tensor], attentions: [Tensor]) {
    var h = hidden  // [B, T, H] or [N, H]
    var states: [Tensor] = []
    var attentions: [Tensor] = []
    for l in layers {
        let (out, p) = l(h, mask: mask, keepProbabilities: keepAttentions, packing: packing)  // [B, T, H] or [N, H], [B, A, T, T]
        h = out
        if keepHiddenStates { states.append(h) }
        if let p { attentions.append(p) }
    }
    return (h, states, attentions)
}
