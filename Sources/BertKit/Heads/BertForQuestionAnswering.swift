import TensorCore

/// What `BertForQuestionAnswering` returns.
public struct BertQuestionAnsweringOutput: @unchecked Sendable {
    /// (start CE + end CE) / 2; nil without positions.
    public var loss: Tensor?
    /// [B, T] each.
    public var startLogits: Tensor
    public var endLogits: Tensor
    public var hiddenStates: [Tensor]?
    public var attentions: [Tensor]?
}

/// Extractive QA (SQuAD): sequence output → Linear(H, 2) → start / end logits. No pooler, no
/// dropout. Positions are clamped to [0, T] and T is ignored, as in HF. Names: `bert.*`,
/// `qa_outputs.*`.
/// ```swift
/// let out = try model(input, startPositions: s, endPositions: e)   // out.startLogits [B, T]
/// ```
///
/// Reference: `BertForQuestionAnswering` in transformers v5.23.0, [modeling_bert.py#L1290](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L1290).
public final class BertForQuestionAnswering: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let qaOutputs: Linear

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: false, initialization: initialization, generator: &generator)
        qaOutputs = zeroLinear(config.hiddenSize, 2)
        initialization.apply(to: qaOutputs, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("qa_outputs", qaOutputs)]
    }

    public func callAsFunction(_ input: BertInput, startPositions: IntTensor? = nil, endPositions: IntTensor? = nil,
                               outputHiddenStates: Bool = false, outputAttentions: Bool = false) throws
        -> BertQuestionAnsweringOutput
    {
        let (b, t, h) = (input.batchSize, input.sequenceLength, config.hiddenSize)
        for (name, p) in [("start_positions", startPositions), ("end_positions", endPositions)] {
            if let p, p.shape != [b], p.shape != [b, 1] {
                throw BertError.invalidInput("\(name) shape \(p.shape) does not match [\(b)]")
            }
        }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = qaOutputs(out.lastHiddenState.reshape([b * t, h])).reshape([b, t, 2])  // [B, T, 2]
        let start = logits.narrow(axis: 2, start: 0, length: 1).reshape([b, t])  // [B, T]
        let end = logits.narrow(axis: 2, start: 1, length: 1).reshape([b, t])  // [B, T]
        var loss: Tensor?
        if let s = startPositions, let e = endPositions {
            let clamp = { (v: [Int]) in v.map { min(max($0, 0), t) } }
            loss = (BertLoss.meanCrossEntropy(start, clamp(s.values), ignoreIndex: t)
                + BertLoss.meanCrossEntropy(end, clamp(e.values), ignoreIndex: t)) * 0.5
        }
        return BertQuestionAnsweringOutput(loss: loss, startLogits: start, endLogits: end,
                                           hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
