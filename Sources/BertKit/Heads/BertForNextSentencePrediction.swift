import TensorCore

/// BERT with the next-sentence head: pooled output → Linear(H, 2); label 0 = IsNext,
/// 1 = random. Names: `bert.*`, `cls.seq_relationship.*`.
/// ```swift
/// let out = try model(input, labels: IntTensor([0, 1], shape: [2]))   // out.logits [B, 2]
/// ```
///
/// Reference: `BertForNextSentencePrediction` in transformers v5.23.0, [modeling_bert.py#L983](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L983).
public final class BertForNextSentencePrediction: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let seqRelationship: Linear

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: true, initialization: initialization, generator: &generator)
        seqRelationship = zeroLinear(config.hiddenSize, 2)
        initialization.apply(to: seqRelationship, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("cls.seq_relationship", seqRelationship)]
    }

    public func callAsFunction(_ input: BertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        if let labels {
            try BertLoss.checkClassLabels(labels, classes: 2, shape: [input.batchSize], name: "labels", ignoreIndex: nil)
        }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = seqRelationship(out.poolerOutput!)  // [B, 2]
        return BertHeadOutput(loss: labels.map { BertLoss.meanCrossEntropy(logits, $0.values) }, logits: logits,
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
