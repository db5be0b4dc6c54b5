import TensorCore

/// Extractive QA (SQuAD) on DistilBERT: dropout(qa_dropout) on every token's hidden state →
/// Linear(H, 2) → start / end logits. Positions are clamped to [0, T] and T is ignored, as in HF;
/// the loss is (start CE + end CE) / 2. Names: `distilbert.*`, `qa_outputs.*`.
/// ```swift
/// let out = try model(input, startPositions: s, endPositions: e)   // out.startLogits [B, T]
/// ```
///
/// Reference: `DistilBertForQuestionAnswering` in transformers v5.23.0, [modeling_distilbert.py#L620](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L620).
public final class DistilBertForQuestionAnswering: Module {
    public let config: DistilBertConfig
    public let distilbert: DistilBertModel
    public let dropout: Dropout
    public let qaOutputs: Linear

    public init(config: DistilBertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        distilbert = DistilBertModel(config: config, initialization: initialization, generator: &generator)
        dropout = Dropout(probability: Float(config.qaDropout), generator: &generator)
        qaOutputs = zeroLinear(config.dim, 2)
        if case .huggingFace = initialization {
            initializeDistilBertWeights(qaOutputs, config: config, generator: &generator)
        }
    }

    public var children: [ModuleChild] {
        [.init("distilbert", distilbert), .init("dropout", dropout), .init("qa_outputs", qaOutputs)]
    }

    /// - Parameters: startPositions, endPositions: [B] (or [B, 1]) token indices of the answer span.
    public func callAsFunction(_ input: DistilBertInput, startPositions: IntTensor? = nil, endPositions: IntTensor? = nil,
                               outputHiddenStates: Bool = false, outputAttentions: Bool = false) throws
        -> BertQuestionAnsweringOutput
    {
        let (b, t, h) = (input.batchSize, input.sequenceLength, config.dim)
        for (name, p) in [("start_positions", startPositions), ("end_positions", endPositions)] {
            if let p, p.shape != [b], p.shape != [b, 1] {
                throw BertError.invalidInput("\(name) shape \(p.shape) does not match [\(b)]")
            }
        }
        let out = distilbert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let hidden = dropout(out.lastHiddenState).reshape([b * t, h])  // [B·T, H]
        let logits = qaOutputs(hidden).reshape([b, t, 2])  // [B, T, 2]
        let start = logits.narrow(axis: 2, start: 0, length: 1).reshape([b, t])  // [B, T]
        let end = logits.narrow(axis: 2, start: 1, length: 1).reshape([b, t])  // [B, T]
        var loss: Tensor?
        if let s = startPositions, let e = endPositions {
            let clamp = { (v: [Int]) in v.map { min(max($0, 0), t) } }
            loss = (BertLoss.meanCrossEntropy(start, clamp(s.values), ignoreIndex: t)
                + BertLoss.meanCrossEntropy(end, clamp(e.values), ignoreIndex: t)) * 0.5  // []
        }
        return BertQuestionAnsweringOutput(loss: loss, startLogits: start, endLogits: end,
                                           hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
