import Foundation
import TensorCore
import Tokenization

/// DistilBERT hyper-parameters, read from a Hugging Face `config.json` (`model_type`
/// "distilbert").
///
/// Property names are camelCase; the coding keys are HF's names and every missing key takes the
/// `transformers` default (distilbert-base-uncased). Reading validates every value and throws a
/// ``BertError`` naming the file and the field: sizes positive and within ``BertConfig/limits``
/// (`dim` under hidden_size's, `n_layers` under num_hidden_layers', …), `dim` a multiple of
/// `n_heads`, dropouts in [0, 1), a known activation, `pad_token_id` in the vocabulary.
/// ```swift
/// let config = try DistilBertConfig(contentsOf: dir.appendingPathComponent("config.json"))
/// let tiny = DistilBertConfig(vocabSize: 99, dim: 16, nLayers: 2, nHeads: 4, hiddenDim: 37)
/// ```
///
/// Reference: `DistilBertConfig` in transformers v5.23.0, [configuration_distilbert.py](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/configuration_distilbert.py).
public struct DistilBertConfig: Decodable, Equatable, Sendable {
    public var vocabSize: Int
    /// Hidden width H.
    public var dim: Int
    public var nLayers: Int
    public var nHeads: Int
    /// Feed-forward width I.
    public var hiddenDim: Int
    public var maxPositionEmbeddings: Int
    /// Dropout after the embeddings and the feed-forward network.
    public var dropout: Double
    /// Dropout on the attention probabilities.
    public var attentionDropout: Double
    /// Activation of the feed-forward network.
    public var activation: Activation
    /// Fill the position table with HF's fixed sinusoids at initialisation.
    public var sinusoidalPosEmbds: Bool
    /// Dropout before the sequence classifier.
    public var seqClassifDropout: Double
    /// Dropout before the question-answering outputs.
    public var qaDropout: Double
    /// Standard deviation of the random initialisation.
    public var initializerRange: Double
    public var padTokenId: Int
    /// Label names by index; its size is the number of labels.
    public var id2label: [Int: String]
    public var problemType: ProblemType?

    /// LayerNorm epsilon: fixed at 1e-12 in every DistilBERT LayerNorm (not a config field).
    public static let layerNormEps: Float = 1e-12

    /// Number of labels of classification heads (`id2label.count`); setting it names them `LABEL_i`.
    public var numLabels: Int {
        get { id2label.count }
        set { id2label = Dictionary(uniqueKeysWithValues: (0..<Swift.max(newValue, 0)).map { ($0, "LABEL_\($0)") }) }
    }

    /// Width of one attention head.
    public var headDim: Int { dim / nHeads }

    /// A config from values (defaults: distilbert-base-uncased). Call ``validate()`` for values
    /// that come from outside.
    public init(vocabSize: Int = 30522, dim: Int = 768, nLayers: Int = 6, nHeads: Int = 12, hiddenDim: Int = 3072,
                maxPositionEmbeddings: Int = 512, dropout: Double = 0.1, attentionDropout: Double = 0.1,
                activation: Activation = .gelu, sinusoidalPosEmbds: Bool = false, seqClassifDropout: Double = 0.2,
                qaDropout: Double = 0.1, initializerRange: Double = 0.02, padTokenId: Int = 0, numLabels: Int = 2,
                problemType: ProblemType? = nil) {
        self.vocabSize = vocabSize
        self.dim = dim
        self.nLayers = nLayers
        self.nHeads = nHeads
        self.hiddenDim = hiddenDim
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.dropout = dropout
        self.attentionDropout = attentionDropout
        self.activation = activation
        self.sinusoidalPosEmbds = sinusoidalPosEmbds
        self.seqClassifDropout = seqClassifDropout
        self.qaDropout = qaDropout
        self.initializerRange = initializerRange
        self.padTokenId = padTokenId
        self.id2label = [:]
        self.problemType = problemType
        self.numLabels = numLabels
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", dim, nLayers = "n_layers", nHeads = "n_heads", hiddenDim = "hidden_dim"
        case maxPositionEmbeddings = "max_position_embeddings", dropout, attentionDropout = "attention_dropout"
        case activation, sinusoidalPosEmbds = "sinusoidal_pos_embds", seqClassifDropout = "seq_classif_dropout"
        case qaDropout = "qa_dropout", initializerRange = "initializer_range", padTokenId = "pad_token_id"
        case numLabels = "num_labels", id2label, problemType = "problem_type"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DistilBertConfig()
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        dim = try c.decodeIfPresent(Int.self, forKey: .dim) ?? d.dim
        nLayers = try c.decodeIfPresent(Int.self, forKey: .nLayers) ?? d.nLayers
        nHeads = try c.decodeIfPresent(Int.self, forKey: .nHeads) ?? d.nHeads
        hiddenDim = try c.decodeIfPresent(Int.self, forKey: .hiddenDim) ?? d.hiddenDim
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? d.maxPositionEmbeddings
        dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? d.dropout
        attentionDropout = try c.decodeIfPresent(Double.self, forKey: .attentionDropout) ?? d.attentionDropout
        if let name = try c.decodeIfPresent(String.self, forKey: .activation) {
            guard let a = Activation(rawValue: name) else {
                throw BertError.invalidConfig("activation \"\(name)\" is not supported (expected one of: "
                    + Activation.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            activation = a
        } else {
            activation = d.activation
        }
        sinusoidalPosEmbds = try c.decodeIfPresent(Bool.self, forKey: .sinusoidalPosEmbds) ?? false
        seqClassifDropout = try c.decodeIfPresent(Double.self, forKey: .seqClassifDropout) ?? d.seqClassifDropout
        qaDropout = try c.decodeIfPresent(Double.self, forKey: .qaDropout) ?? d.qaDropout
        initializerRange = try c.decodeIfPresent(Double.self, forKey: .initializerRange) ?? d.initializerRange
        padTokenId = try c.decodeIfPresent(Int.self, forKey: .padTokenId) ?? d.padTokenId
        if let name = try c.decodeIfPresent(String.self, forKey: .problemType) {
            guard let p = ProblemType(rawValue: name) else {
                throw BertError.invalidConfig("problem_type \"\(name)\" is not supported")
            }
            problemType = p
        } else {
            problemType = nil
        }
        id2label = [:]
        let statedLabels = try ConfigLabels.checkedCount(try c.decodeIfPresent(Int.self, forKey: .numLabels))
        if let raw = try c.decodeIfPresent([String: String].self, forKey: .id2label) {
            id2label = try ConfigLabels.names(raw)
        }
        if let n = statedLabels, n != id2label.count {
            numLabels = n
        } else if statedLabels == nil && id2label.isEmpty {
            numLabels = 2
        }
        try validate()
    }

    /// Checks the values make a valid model; throws `BertError.invalidConfig` naming the field.
    public func validate() throws {
        let sizes: [(String, Int, String)] = [
            ("vocab_size", vocabSize, "vocab_size"), ("dim", dim, "hidden_size"), ("n_heads", nHeads, "num_attention_heads"),
            ("hidden_dim", hiddenDim, "intermediate_size"),
            ("max_position_embeddings", maxPositionEmbeddings, "max_position_embeddings"),
        ]
        for (name, value, limitField) in sizes where !(1...BertConfig.limit(limitField)).contains(value) {
            throw BertError.invalidConfig("\(name) must be an integer in 1...\(BertConfig.limit(limitField)), got \(value)")
        }
        let maxLayers = BertConfig.limit("num_hidden_layers")
        if !(0...maxLayers).contains(nLayers) {
            throw BertError.invalidConfig("n_layers must be an integer in 0...\(maxLayers), got \(nLayers)")
        }
        if dim % nHeads != 0 {
            throw BertError.invalidConfig("dim \(dim) is not a multiple of n_heads \(nHeads)")
        }
        if !(0..<vocabSize).contains(padTokenId) {
            throw BertError.invalidConfig("pad_token_id \(padTokenId) is outside the vocabulary (\(vocabSize))")
        }
        for (name, p) in [("dropout", dropout), ("attention_dropout", attentionDropout),
                          ("seq_classif_dropout", seqClassifDropout), ("qa_dropout", qaDropout)] where !(0..<1).contains(p) {
            throw BertError.invalidConfig("\(name) must be in [0, 1), got \(p)")
        }
        if !(initializerRange >= 0) || !initializerRange.isFinite {
            throw BertError.invalidConfig("initializer_range must be a finite number ≥ 0, got \(initializerRange)")
        }
        // The weights must fit in memory before anything is allocated (as BertConfig checks).
        let memory = ProcessInfo.processInfo.physicalMemory
        let described = "vocab_size \(vocabSize), dim \(dim), n_layers \(nLayers), hidden_dim \(hiddenDim), "
            + "max_position_embeddings \(maxPositionEmbeddings)"
        guard let parameters = parameterCount, let bytes = (Checked(parameters) * MemoryLayout<Float>.stride).value else {
            throw BertError.invalidConfig("the model's parameter count overflows (\(described))")
        }
        if UInt64(bytes) > memory {
            throw BertError.invalidConfig("the model needs \(BertConfig.formatBytes(UInt64(bytes))) for its weights "
                + "(\(parameters) parameters), more than this machine's \(BertConfig.formatBytes(memory)) of memory (\(described))")
        }
    }

    /// Parameters of the encoder with the largest head (masked LM or classifier), an upper bound
    /// for every DistilBERT class, or nil when the count does not fit in an `Int`.
    public var parameterCount: Int? {
        let h = Checked(dim), i = Checked(hiddenDim)
        let embeddings = Checked(vocabSize + maxPositionEmbeddings) * h + h * 2
        let block = (h * h + h) * 4 + h * 2 + (h * i) * 2 + i + h + h * 2
        let masked = h * h + h + h * 2 + Checked(vocabSize)
        let classifier = h * h + h + h * numLabels + Checked(numLabels)
        return (embeddings + block * nLayers + masked + classifier).value
    }

    /// Reads an HF `config.json`; errors name the file and the problem (the field, for a value
    /// of the wrong type or out of range).
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BertError.missingFile(path: url.path)
        }
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw BertError.malformedFile(path: url.path, reason: "cannot be read: \(error.reason)")
        }
        do {
            self = try JSONDecoder().decode(DistilBertConfig.self, from: data)
        } catch let error as BertError {
            throw BertError.malformedFile(path: url.path, reason: error.description)
        } catch let error as DecodingError {
            throw BertError.malformedFile(path: url.path, reason: BertConfig.describe(error))
        } catch {
            throw BertError.malformedFile(path: url.path, reason: "not a valid JSON config")
        }
    }
}
