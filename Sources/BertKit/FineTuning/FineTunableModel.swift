import TensorCore

/// What every fine-tuning task needs of its model, whatever the architecture: the position
/// table, the pad id, the architecture name written to `config.json`, and padding skipping. The
/// task protocols (``SequenceClassifierModel``, ``TokenClassifierModel``,
/// ``QuestionAnsweringModel``, ``MultipleChoiceModel``) add the forward pass and saving.
public protocol FineTunableModel: Module {
    /// The longest input the position table takes, special tokens included.
    var maxPositions: Int { get }
    /// The model's `pad_token_id` (the tokenizer's `[PAD]` id is preferred when it has one).
    var padTokenId: Int { get }
    /// The architecture name written to `config.json` (`BertForSequenceClassification`, …).
    var architectureName: String { get }
    /// Whether the encoder's per-token layers run on the real tokens only (the encoder's
    /// `skipsPaddingPositions`); what the task reads — token 0, tagged or context tokens — does
    /// not change.
    var skipsPaddingPositions: Bool { get set }
}

/// A BERT task head — its config and its `bert` encoder — which gives ``FineTunableModel``'s
/// properties from them; the architecture name is the class name (transformers' own).
public protocol BertTaskHead: FineTunableModel {
    var config: BertConfig { get }
    var bert: BertModel { get }
}

extension BertTaskHead {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var numLabels: Int { config.numLabels }
    public var architectureName: String { String(describing: Self.self) }
    public var skipsPaddingPositions: Bool {
        get { bert.skipsPaddingPositions }
        set { bert.skipsPaddingPositions = newValue }
    }
}

/// A DistilBERT task head — its config and its `distilbert` encoder — as ``BertTaskHead``.
public protocol DistilBertTaskHead: FineTunableModel {
    var config: DistilBertConfig { get }
    var distilbert: DistilBertModel { get }
}

extension DistilBertTaskHead {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var numLabels: Int { config.numLabels }
    public var architectureName: String { String(describing: Self.self) }
    public var skipsPaddingPositions: Bool {
        get { distilbert.skipsPaddingPositions }
        set { distilbert.skipsPaddingPositions = newValue }
    }
}
