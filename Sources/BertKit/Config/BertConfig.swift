import Foundation
import TensorCore
import Tokenization

/// How positions enter the attention: HF `position_embedding_type`.
public enum PositionEmbeddingType: String, Codable, Sendable, CaseIterable {
    /// Learned absolute position table added to the embeddings (BERT).
    case absolute
    /// Shaw et al.: a learned distance table added to the scores through the queries.
    case relativeKey = "relative_key"
    /// Huang et al.: distance table through the queries and the keys.
    case relativeKeyQuery = "relative_key_query"
}

/// What a sequence-classification head optimises: HF `problem_type`.
public enum ProblemType: String, Codable, Sendable, CaseIterable {
    case regression
    case singleLabelClassification = "single_label_classification"
    case multiLabelClassification = "multi_label_classification"
}

/// BERT hyper-parameters, read from and written to a Hugging Face `config.json`.
///
/// Property names are camelCase; the coding keys are HF's snake_case names and every missing
/// key takes the `transformers` default (bert-base-uncased):
/// ```swift
/// let config = try BertConfig(contentsOf: dir.appendingPathComponent("config.json"))
/// var tiny = BertConfig(vocabSize: 99, hiddenSize: 20, numHiddenLayers: 2, numAttentionHeads: 4,
///                       intermediateSize: 37)
/// try tiny.write(to: url)          // HF-readable config.json
/// ```
public struct BertConfig: Codable, Equatable, Sendable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var hiddenAct: Activation
    public var hiddenDropoutProb: Double
    public var attentionProbsDropoutProb: Double
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var initializerRange: Double
    public var layerNormEps: Double
    public var padTokenId: Int
    public var positionEmbeddingType: PositionEmbeddingType
    /// Dropout before classifier heads; nil falls back to `hiddenDropoutProb`.
    public var classifierDropout: Double?
    /// Label names by index; its size is the number of labels.
    public var id2label: [Int: String]
    /// Inverse of `id2label`.
    public var label2id: [String: Int]
    public var problemType: ProblemType?
    /// Causal (decoder) self-attention, as in `BertLMHeadModel`.
    public var isDecoder: Bool
    public var architectures: [String]?
    public var modelType: String

    /// Number of labels of classification heads (`id2label.count`). Setting it resets the
    /// label names to HF's `LABEL_i`.
    public var numLabels: Int {
        get { id2label.count }
        set {
            id2label = Dictionary(uniqueKeysWithValues: (0..<Swift.max(newValue, 0)).map { ($0, "LABEL_\($0)") })
            label2id = Dictionary(uniqueKeysWithValues: id2label.map { ($1, $0) })
        }
    }

    /// Width of one attention head.
    public var headDim: Int { hiddenSize / numAttentionHeads }

    /// Dropout probability used by classifier heads.
    public var effectiveClassifierDropout: Double { classifierDropout ?? hiddenDropoutProb }

    /// Creates a config; every argument defaults to the HF (bert-base-uncased) value.
    public init(
        vocabSize: Int = 30522, hiddenSize: Int = 768, numHiddenLayers: Int = 12,
        numAttentionHeads: Int = 12, intermediateSize: Int = 3072, hiddenAct: Activation = .gelu,
        hiddenDropoutProb: Double = 0.1, attentionProbsDropoutProb: Double = 0.1,
        maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2, initializerRange: Double = 0.02,
        layerNormEps: Double = 1e-12, padTokenId: Int = 0,
        positionEmbeddingType: PositionEmbeddingType = .absolute, classifierDropout: Double? = nil,
        numLabels: Int = 2, problemType: ProblemType? = nil, isDecoder: Bool = false
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.initializerRange = initializerRange
        self.layerNormEps = layerNormEps
        self.padTokenId = padTokenId
        self.positionEmbeddingType = positionEmbeddingType
        self.classifierDropout = classifierDropout
        self.id2label = [:]
        self.label2id = [:]
        self.problemType = problemType
        self.isDecoder = isDecoder
        self.architectures = nil
        self.modelType = "bert"
        self.numLabels = numLabels
    }

    /// bert-base-uncased (12 layers, 768 wide, 110M parameters).
    public static let base = BertConfig()
    /// bert-large-uncased (24 layers, 1024 wide, 16 heads, 4096 intermediate).
    public static let large = BertConfig(
        hiddenSize: 1024, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 4096)

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case hiddenDropoutProb = "hidden_dropout_prob"
        case attentionProbsDropoutProb = "attention_probs_dropout_prob"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case initializerRange = "initializer_range", layerNormEps = "layer_norm_eps"
        case padTokenId = "pad_token_id", positionEmbeddingType = "position_embedding_type"
        case classifierDropout = "classifier_dropout", id2label, label2id
        case numLabels = "num_labels", problemType = "problem_type", isDecoder = "is_decoder"
        case architectures, modelType = "model_type"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BertConfig()
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? d.numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? d.numAttentionHeads
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? d.intermediateSize
        if let name = try c.decodeIfPresent(String.self, forKey: .hiddenAct) {
            hiddenAct = try Activation(name: name)
        } else {
            hiddenAct = d.hiddenAct
        }
        hiddenDropoutProb = try c.decodeIfPresent(Double.self, forKey: .hiddenDropoutProb) ?? d.hiddenDropoutProb
        attentionProbsDropoutProb =
            try c.decodeIfPresent(Double.self, forKey: .attentionProbsDropoutProb) ?? d.attentionProbsDropoutProb
        maxPositionEmbeddings =
            try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? d.maxPositionEmbeddings
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? d.typeVocabSize
        initializerRange = try c.decodeIfPresent(Double.self, forKey: .initializerRange) ?? d.initializerRange
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? d.layerNormEps
        padTokenId = try c.decodeIfPresent(Int.self, forKey: .padTokenId) ?? d.padTokenId
        if let name = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) {
            guard let p = PositionEmbeddingType(rawValue: name) else {
                throw BertError.invalidConfig("position_embedding_type \"\(name)\" is not supported "
                    + "(expected absolute, relative_key or relative_key_query)")
            }
            positionEmbeddingType = p
        } else {
            positionEmbeddingType = .absolute
        }
        classifierDropout = try c.decodeIfPresent(Double.self, forKey: .classifierDropout)
        if let name = try c.decodeIfPresent(String.self, forKey: .problemType) {
            guard let p = ProblemType(rawValue: name) else {
                throw BertError.invalidConfig("problem_type \"\(name)\" is not supported")
            }
            problemType = p
        } else {
            problemType = nil
        }
        isDecoder = try c.decodeIfPresent(Bool.self, forKey: .isDecoder) ?? false
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "bert"
        id2label = [:]
        label2id = [:]
        let statedLabels = try ConfigLabels.checkedCount(try c.decodeIfPresent(Int.self, forKey: .numLabels))
        if let raw = try c.decodeIfPresent([String: String].self, forKey: .id2label) {
            let map = try ConfigLabels.names(raw)
            id2label = map
            label2id = try c.decodeIfPresent([String: Int].self, forKey: .label2id)
                ?? Dictionary(map.map { ($1, $0) }, uniquingKeysWith: { Swift.max($0, $1) })  // a repeated name: the last id, as HF
        } else {
            numLabels = statedLabels ?? 2
        }
        if let n = statedLabels, n != id2label.count {
            numLabels = n
        }
        try validate()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(hiddenAct.rawValue, forKey: .hiddenAct)
        try c.encode(hiddenDropoutProb, forKey: .hiddenDropoutProb)
        try c.encode(attentionProbsDropoutProb, forKey: .attentionProbsDropoutProb)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(typeVocabSize, forKey: .typeVocabSize)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(layerNormEps, forKey: .layerNormEps)
        try c.encode(padTokenId, forKey: .padTokenId)
        try c.encode(positionEmbeddingType.rawValue, forKey: .positionEmbeddingType)
        try c.encode(classifierDropout, forKey: .classifierDropout)
        try c.encode(Dictionary(uniqueKeysWithValues: id2label.map { (String($0), $1) }), forKey: .id2label)
        try c.encode(label2id, forKey: .label2id)
        try c.encode(problemType?.rawValue, forKey: .problemType)
        try c.encode(isDecoder, forKey: .isDecoder)
        try c.encodeIfPresent(architectures, forKey: .architectures)
        try c.encode(modelType, forKey: .modelType)
    }

    /// Checks the sizes make a valid model; throws `BertError.invalidConfig` otherwise.
    public func validate() throws {
        func positive(_ v: Int, _ name: String) throws {
            if v <= 0 { throw BertError.invalidConfig("\(name) must be a positive integer, got \(v)") }
        }
        try positive(vocabSize, "vocab_size")
        try positive(hiddenSize, "hidden_size")
        try positive(numAttentionHeads, "num_attention_heads")
        try positive(intermediateSize, "intermediate_size")
        try positive(maxPositionEmbeddings, "max_position_embeddings")
        try positive(typeVocabSize, "type_vocab_size")
        if numHiddenLayers < 0 { throw BertError.invalidConfig("num_hidden_layers must be ≥ 0") }
        if hiddenSize % numAttentionHeads != 0 {
            throw BertError.invalidConfig(
                "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
        if !(0..<vocabSize).contains(padTokenId) {
            throw BertError.invalidConfig("pad_token_id \(padTokenId) is outside the vocabulary (\(vocabSize))")
        }
        if !(layerNormEps > 0) { throw BertError.invalidConfig("layer_norm_eps must be positive") }
        for (name, p) in [("hidden_dropout_prob", hiddenDropoutProb),
                          ("attention_probs_dropout_prob", attentionProbsDropoutProb),
                          ("classifier_dropout", classifierDropout ?? 0)] where !(0..<1).contains(p) {
            throw BertError.invalidConfig("\(name) must be in [0, 1), got \(p)")
        }
        try validateSizes()
    }

    /// Reads an HF `config.json`; errors name the file and the problem (the field, for a value
    /// of the wrong type or out of range). Special files (FIFOs, devices) are refused unopened.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BertError.missingFile(path: url.path)
        }
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw BertError.malformedFile(path: url.path, reason: "cannot be read: \(error.reason)")
        }
        do {
            self = try JSONDecoder().decode(BertConfig.self, from: data)
        } catch let error as BertError {
            throw BertError.malformedFile(path: url.path, reason: error.description)
        } catch let error as DecodingError {
            throw BertError.malformedFile(path: url.path, reason: Self.integerFieldProblem(data) ?? Self.describe(error))
        } catch {
            throw BertError.malformedFile(path: url.path, reason: "not a valid JSON config")
        }
    }

    /// Writes an HF-readable `config.json` atomically (temporary file, then rename).
    /// - Throws: `BertError.cannotWrite` naming the file and the system's reason.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw BertError.cannotWrite(path: url.path, reason: "cannot encode the config (\(error))")
        }
        do {
            try AtomicFile.write(to: url.path) { sink in try sink.write(Array(data)) }
        } catch let error as FileWriteError {
            throw BertError.cannotWrite(path: url.path, reason: "\(error.operation) failed: \(error.message)")
        }
    }
}
