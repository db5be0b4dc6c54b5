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
}
