import TensorCore

/// BERT as a causal language model (`is_decoder`: each position attends to itself and the
/// past). No pooler. Names: `bert.*`, `cls.predictions.*`. Loss: labels shifted left by one
/// (position t predicts label t + 1), mean cross-entropy over labels ≠ -100, as HF.
/// ```swift
/// var config = config; config.isDecoder = true
/// let out = try model(input, labels: ids)   // out.logits [B, T, V]
/// ```
///
/// Reference: `BertLMHeadModel` in transformers v5.23.0, [modeling_bert.py#L824](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L824).
public final class BertLMHeadModel: Module {
    /// The same modules and names as a masked LM (HF: `bert` + `cls` = BertOnlyMLMHead); only
    /// the attention (causal) and the labels (shifted) differ.
    let lm: BertForMaskedLM
    public var config: BertConfig { lm.config }
    public var bert: BertModel { lm.bert }
    public var predictions: BertLMPredictionHead { lm.predictions }

    /// `config.isDecoder` is forced to true (causal attention).
    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        var config = config
        config.isDecoder = true
        lm = BertForMaskedLM(config: config, initialization: initialization, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("", lm)]
    }

    /// - Parameter labels: [B, T] (usually the input ids, -100 at padding); shifted internally.
    public func callAsFunction(_ input: BertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, t) = (input.batchSize, input.sequenceLength)
        var shiftedLabels: IntTensor?
        if let labels {
            try BertLoss.checkClassLabels(labels, classes: config.vocabSize, shape: [b, t], name: "labels")
            var shifted = [Int](repeating: -100, count: b * t)  // position t predicts label t + 1
            for bi in 0..<b { for ti in 0..<max(t - 1, 0) { shifted[bi * t + ti] = labels.values[bi * t + ti + 1] } }
            shiftedLabels = IntTensor(shifted, shape: [b, t])
        }
        return try lm(input, labels: shiftedLabels, outputHiddenStates: outputHiddenStates,
                      outputAttentions: outputAttentions)  // logits [B, T, V]
    }
}
