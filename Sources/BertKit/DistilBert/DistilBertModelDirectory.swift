import Foundation
import TensorCore
import Tokenization

/// A DistilBERT model class that can be built from a config and filled from a Hugging Face
/// checkpoint by ``DistilBertModelDirectory/load(_:numLabels:seed:configure:)``.
public protocol DistilBertPretrainedModel: Module {
    init(config: DistilBertConfig, initialization: BertWeightInitialization, generator: inout RandomGenerator)
}

extension DistilBertModel: DistilBertPretrainedModel {}
extension DistilBertForSequenceClassification: DistilBertPretrainedModel {}
extension DistilBertForQuestionAnswering: DistilBertPretrainedModel {}
extension DistilBertForMaskedLM: DistilBertPretrainedModel {}
extension DistilBertForTokenClassification: DistilBertPretrainedModel {}
extension DistilBertForMultipleChoice: DistilBertPretrainedModel {}

/// A Hugging Face DistilBERT model directory (`config.json` with `"model_type": "distilbert"`,
/// `model.safetensors`, `vocab.txt` or `tokenizer.json`), as `save_pretrained` writes it.
///
/// ```swift
/// let directory = try DistilBertModelDirectory(URL(fileURLWithPath: "distilbert-base-uncased"))
/// let loaded = try directory.load(DistilBertForSequenceClassification.self, numLabels: 2)
/// if let warning = loaded.warning { print(warning) }   // pre_classifier.*, classifier.* are new
/// let tokenizer = try directory.loadTokenizer()
/// ```
public struct DistilBertModelDirectory: Sendable {
    public let url: URL
    public let config: DistilBertConfig
    public let weightsURL: URL

    /// - Throws: `BertError.missingFile` for a missing directory, config or weights file;
    ///   `BertError.malformedFile` naming config.json for a bad config.
    public init(_ url: URL) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw BertError.missingFile(path: url.path + " (model directory)")
        }
        self.url = url
        config = try DistilBertConfig(contentsOf: url.appendingPathComponent("config.json"))
        weightsURL = url.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else { throw BertError.missingFile(path: weightsURL.path) }
    }

    /// `model_type` of the `config.json` in `directory` (`"bert"`, `"distilbert"`, …), or nil
    /// when the file is absent, unreadable or has none — the directory's own loader then reports
    /// what is wrong.
    public static func modelType(of directory: URL) -> String? {
        guard let data = try? InputFile.read(directory.appendingPathComponent("config.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["model_type"] as? String
    }

    /// Builds `type` from this directory's config and fills it from its weights, as
    /// `AutoModelFor….from_pretrained` does (see ``BertModelDirectory/load(_:numLabels:seed:configure:)``):
    /// weights the checkpoint lacks are initialised the Hugging Face way from `seed` and
    /// reported; unused checkpoint tensors are reported, not an error.
    /// - Throws: `BertError.malformedFile` naming model.safetensors when a tensor's shape does not
    ///   match; `BertError.invalidConfig` for an invalid `numLabels`.
    public func load<Model: DistilBertPretrainedModel>(
        _ type: Model.Type, numLabels: Int? = nil, seed: UInt64 = 0,
        configure: (inout DistilBertConfig) -> Void = { _ in }
    ) throws -> LoadedBertModel<Model> {
        var config = self.config
        if let n = try validatedLabelCount(numLabels), n != config.numLabels { config.numLabels = n }
        configure(&config)
        return try loadPretrained(
            Model.self, tensors: readSafetensors(weightsURL), weightsURL: weightsURL, source: url.path, seed: seed,
            build: { Model(config: config, initialization: .zeros, generator: &$0) },
            fill: { try DistilBertCheckpoint.load($0, into: $1, strict: false) },
            initializeMissing: { model, missing, generator in
                initializeDistilBertWeights(model, config: config, generator: &generator, only: missing)
            })
    }

    /// The encoder alone, for sentence vectors: every encoder weight must be in the checkpoint
    /// (with or without `distilbert.`); head weights (`vocab_*`, `classifier.*`, …) are left out.
    /// ```swift
    /// let encoder = try DistilBertModelDirectory(url).loadDistilBertModel()   // eval mode
    /// ```
    /// - Throws: `BertError.malformedFile` naming model.safetensors when an encoder weight is
    ///   missing or has the wrong shape.
    public func loadDistilBertModel() throws -> DistilBertModel {
        let loaded = try load(DistilBertModel.self)
        guard loaded.newlyInitialized.isEmpty else {
            throw BertError.malformedFile(path: weightsURL.path,
                                          reason: "lacks encoder weights: \(loaded.newlyInitialized.sorted().prefix(5).joined(separator: ", "))")
        }
        return loaded.model
    }

    /// The tokenizer that goes with the model (``BertModelDirectory/loadTokenizer()``'s rules).
    public func loadTokenizer() throws -> BertTokenizer { try BertModelDirectory.loadTokenizer(in: url) }
}
