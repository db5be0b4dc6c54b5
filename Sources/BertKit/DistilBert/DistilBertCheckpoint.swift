import Foundation
import TensorCore

/// Loads Hugging Face DistilBERT checkpoints by their names.
///
/// A `DistilBertModel` accepts keys with or without the `distilbert.` prefix (a bare-model
/// checkpoint or a head checkpoint's encoder); a head model takes the keys as they are
/// (`distilbert.*`, `pre_classifier.*`, `classifier.*`). The `position_ids` buffer is ignored,
/// and so is `vocab_projector.weight` for ``DistilBertForMaskedLM``, whose projector is tied to
/// the word embeddings.
/// The rules of ``BertCheckpoint/load(_:into:strict:)`` apply: strict loading (the default)
/// throws `BertError.checkpointMismatch` before touching the model if anything is missing,
/// unexpected or of the wrong shape.
/// ```swift
/// let model = DistilBertForSequenceClassification(config: config, initialization: .zeros, generator: &rng)
/// try DistilBertCheckpoint.load(contentsOf: dir.appendingPathComponent("model.safetensors"), into: model)
/// ```
public enum DistilBertCheckpoint {
    static let prefix = "distilbert."

    /// Loads named tensors into `model`; returns what was loaded, missing, unexpected and of the
    /// wrong shape (under the checkpoint's names).
    @discardableResult
    public static func load(_ tensors: [String: Tensor], into model: any Module, strict: Bool = true) throws
        -> CheckpointReport
    {
        let names = Set(model.namedParameters().map(\.0))
        var renamed: [String: Tensor] = [:]
        let tiedProjector = model is DistilBertForMaskedLM
        for (key, value) in tensors where !(tiedProjector && key == "vocab_projector.weight") {
            var k = key
            if !names.contains(k) {
                if names.contains(prefix + k) {
                    k = prefix + k
                } else if k.hasPrefix(prefix), names.contains(String(k.dropFirst(prefix.count))) {
                    k = String(k.dropFirst(prefix.count))
                }
            }
            renamed[k] = value
        }
        return try BertCheckpoint.load(renamed, into: model, strict: strict)
    }

    /// Reads a safetensors file and loads it into `model`.
    @discardableResult
    public static func load(contentsOf url: URL, into model: any Module, strict: Bool = true) throws
        -> CheckpointReport
    {
        try load(readSafetensors(url), into: model, strict: strict)
    }

    /// Writes a Hugging Face model directory that `from_pretrained` loads: `model.safetensors`
    /// under HF names and `config.json` (`model_type` distilbert, `architectures`, the labels),
    /// staged and renamed so a failure leaves no half-written or mismatched pair.
    ///
    /// ```swift
    /// try DistilBertCheckpoint.save(classifier, config: classifier.config,
    ///                               architecture: "DistilBertForSequenceClassification", to: output)
    /// ```
    public static func save(_ model: any Module, config: DistilBertConfig, architecture: String, to directory: URL) throws {
        try CheckpointDirectoryWriter(directory).write { staging in
            try writeSafetensors(BertCheckpoint.stateDict(model), to: staging.appendingPathComponent("model.safetensors"))
            try config.write(to: staging.appendingPathComponent("config.json"), architecture: architecture)
        }
    }
}

extension DistilBertConfig {
    /// The config as Hugging Face writes it (`model_type` distilbert, every field this type
    /// reads, `id2label`/`label2id`), sorted keys.
    public func jsonObject(architecture: String? = nil) -> [String: Any] {
        var object: [String: Any] = [
            "model_type": "distilbert", "vocab_size": vocabSize, "dim": dim, "n_layers": nLayers, "n_heads": nHeads,
            "hidden_dim": hiddenDim, "max_position_embeddings": maxPositionEmbeddings, "dropout": dropout,
            "attention_dropout": attentionDropout, "activation": activation.rawValue,
            "sinusoidal_pos_embds": sinusoidalPosEmbds, "seq_classif_dropout": seqClassifDropout,
            "qa_dropout": qaDropout, "initializer_range": initializerRange, "pad_token_id": padTokenId,
            "tie_word_embeddings": true,
            "id2label": Dictionary(uniqueKeysWithValues: id2label.map { (String($0.key), $0.value) }),
            "label2id": Dictionary(id2label.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a }),
        ]
        if let architecture { object["architectures"] = [architecture] }
        if let problemType { object["problem_type"] = problemType.rawValue }
        return object
    }

    /// Writes ``jsonObject(architecture:)`` to `url` atomically.
    /// - Throws: `BertError.cannotWrite` naming the file.
    public func write(to url: URL, architecture: String? = nil) throws {
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: jsonObject(architecture: architecture),
                                               options: [.prettyPrinted, .sortedKeys]) } catch {
            throw BertError.cannotWrite(path: url.path, reason: "cannot encode the config (\(error))")
        }
        do {
            try AtomicFile.write(to: url.path) { sink in try sink.write(Array(data)) }
        } catch let error as FileWriteError {
            throw BertError.cannotWrite(path: url.path, reason: "\(error.operation) failed: \(error.message)")
        }
    }
}
