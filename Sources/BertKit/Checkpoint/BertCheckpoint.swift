import Foundation
import TensorCore

/// Hugging Face checkpoint names ↔ BertKit parameters: the one place names are mapped.
///
/// Loading accepts checkpoints with or without the `bert.` prefix, legacy LayerNorm
/// `gamma`/`beta`, ignores the `position_ids` / `token_type_ids` buffers, treats the tied
/// `cls.predictions.decoder.weight` as the word embeddings and `cls.predictions.decoder.bias` as
/// an alias of `cls.predictions.bias`. Strict loading (the default) throws
/// `BertError.checkpointMismatch` before touching the model if anything is missing, unexpected or
/// of the wrong shape; non-strict loading loads what matches and returns the report.
/// ```swift
/// let report = try BertCheckpoint.load(contentsOf: url, into: model)            // strict
/// try BertCheckpoint.save(model, config: config, architecture: "BertForMaskedLM", to: dir)
/// ```
public enum BertCheckpoint {
    /// Maps a checkpoint key to the model's naming, or nil for buffers that carry no weights.
    static func canonicalKey(_ key: String) -> String? {
        if key.hasSuffix("embeddings.position_ids") || key.hasSuffix("embeddings.token_type_ids") { return nil }
        var k = key
        if k.hasSuffix(".gamma") { k = String(k.dropLast(6)) + ".weight" }
        if k.hasSuffix(".beta") { k = String(k.dropLast(5)) + ".bias" }
        return k
    }

    /// Loads named tensors into `model` (see the type's documentation for the rules).
    /// - Returns: what was loaded, missing, unexpected and of the wrong shape.
    @discardableResult
    public static func load(_ tensors: [String: Tensor], into model: any Module, strict: Bool = true) throws
        -> CheckpointReport
    {
        let params = model.namedParameters()
        let byName = Dictionary(params.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        let hasLMHead = byName["cls.predictions.bias"] != nil
        var report = CheckpointReport()
        var assignments: [(Parameter, Tensor)] = []
        var found = Set<String>()
        var decoderBias: Tensor?
        for key in tensors.keys.sorted() {
            guard let value = tensors[key], var k = canonicalKey(key) else { continue }
            if byName[k] == nil {
                if byName["bert." + k] != nil {
                    k = "bert." + k
                } else if k.hasPrefix("bert."), byName[String(k.dropFirst(5))] != nil {
                    k = String(k.dropFirst(5))
                }
            }
            if hasLMHead && k == "cls.predictions.decoder.weight" { continue }  // tied to word embeddings
            if hasLMHead && k == "cls.predictions.decoder.bias" { decoderBias = value; continue }
            guard let p = byName[k] else { report.unexpected.append(key); continue }
            guard value.shape == p.value.shape else {
                report.wrongShape.append(.init(key: key, checkpointShape: value.shape, modelShape: p.value.shape))
                found.insert(k)
                continue
            }
            found.insert(k)
            report.loaded.append(k)
            assignments.append((p, value))
        }
        if let bias = decoderBias, !found.contains("cls.predictions.bias"), let p = byName["cls.predictions.bias"] {
            if bias.shape == p.value.shape {
                found.insert("cls.predictions.bias")
                report.loaded.append("cls.predictions.bias")
                assignments.append((p, bias))
            } else {
                report.wrongShape.append(.init(key: "cls.predictions.decoder.bias", checkpointShape: bias.shape,
                                               modelShape: p.value.shape))
            }
        }
        report.missing = params.map(\.0).filter { !found.contains($0) }
        if strict && !report.isClean { throw BertError.checkpointMismatch(report) }
        for (p, value) in assignments { p.value = value.contiguous().detached() }
        packAttentionProjections(in: model)
        return report
    }

    /// Reads a safetensors file and loads it into `model`.
    @discardableResult
    public static func load(contentsOf url: URL, into model: any Module, strict: Bool = true) throws
        -> CheckpointReport
    {
        try load(readSafetensors(url), into: model, strict: strict)
    }

    /// The tensors to save under Hugging Face names (tied decoder weight written once, as the
    /// word embeddings, as `save_pretrained` does).
    public static func stateDict(_ model: any Module) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, p) in model.namedParameters() where out[name] == nil { out[name] = p.value.contiguous() }
        return out
    }

    /// Writes `config.json` (with `architectures`) and `model.safetensors` into `directory`
    /// (created if needed), each atomically, so `transformers` `from_pretrained` loads it.
    public static func save(_ model: any Module, config: BertConfig, architecture: String, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var c = config
        c.architectures = [architecture]
        try writeSafetensors(stateDict(model), to: directory.appendingPathComponent("model.safetensors"))
        try c.write(to: directory.appendingPathComponent("config.json"))
    }
}
