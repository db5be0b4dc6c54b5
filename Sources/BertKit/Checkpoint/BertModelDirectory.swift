import Foundation
import TensorCore
import Tokenization

/// A Hugging Face model directory: `config.json`, `model.safetensors` and a vocabulary
/// (`vocab.txt` or `tokenizer.json`), checked and loaded in one call.
///
/// ```swift
/// let dir = try BertModelDirectory(URL(fileURLWithPath: "all-MiniLM-L6-v2"))
/// let model = try dir.loadBertModel()          // eval mode, strict load
/// let tokenizer = try dir.loadTokenizer()      // tokenizer.json, else vocab.txt
/// ```
/// Missing or malformed files throw `BertError.missingFile` / `.malformedFile` naming the file.
public struct BertModelDirectory: Sendable {
    public let url: URL
    public let config: BertConfig
    public let weightsURL: URL
    /// The file ``loadTokenizer()`` reads: `tokenizer.json` if present, else `vocab.txt`.
    public let vocabularyURL: URL

    public init(_ url: URL) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw BertError.missingFile(path: url.path + " (model directory)")
        }
        self.url = url
        config = try BertConfig(contentsOf: url.appendingPathComponent("config.json"))
        weightsURL = url.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw BertError.missingFile(path: weightsURL.path)
        }
        guard let file = Self.tokenizerFile(in: url) else {
            throw BertError.missingFile(path: url.appendingPathComponent("vocab.txt").path + " (or tokenizer.json)")
        }
        vocabularyURL = file
    }

    /// The file ``loadTokenizer(in:)`` reads in the model directory `url`: `tokenizer.json` if
    /// present, else `vocab.txt`; nil when neither exists.
    public static func tokenizerFile(in url: URL) -> URL? {
        ["tokenizer.json", "vocab.txt"].map { url.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Reads the weights (typed error naming the file when it is not valid safetensors).
    public func tensors() throws -> [String: Tensor] { try readSafetensors(weightsURL) }

    /// The encoder alone. A pooler is built when the checkpoint has one; head weights
    /// (`cls.*`, `classifier.*`, `qa_outputs.*`) are left out; everything else loads strictly.
    public func loadBertModel(strict: Bool = true) throws -> BertModel {
        let all = try tensors()
        let heads = ["cls.", "classifier.", "qa_outputs."]
        let t = all.filter { k, _ in !heads.contains { k.hasPrefix($0) } }
        let hasPooler = t.keys.contains { $0.hasSuffix("pooler.dense.weight") }
        var rng = RandomGenerator(seed: 0)
        // Strict loading replaces every weight, so skip the random draws; non-strict loading keeps
        // HF's random initialisation for whatever the checkpoint lacks.
        let model = BertModel(config: config, addPoolingLayer: hasPooler,
                              initialization: strict ? .zeros : .huggingFace, generator: &rng)
        do { try BertCheckpoint.load(t, into: model, strict: strict) } catch let BertError.checkpointMismatch(r) {
            throw BertError.malformedFile(path: weightsURL.path, reason: "does not match config.json: \(r)")
        }
        model.eval()
        return model
    }

    /// The tokenizer that goes with the model: `tokenizer.json` when present (it declares
    /// lowercasing, special tokens, truncation and padding), else `vocab.txt`, uncased unless
    /// `tokenizer_config.json` says `"do_lower_case": false`.
    /// - Throws: `TokenizationError` naming the file when it cannot be read or parsed.
    public func loadTokenizer() throws -> BertTokenizer { try Self.loadTokenizer(in: url) }

    /// The tokenizer of the model directory `url` (the rules of ``loadTokenizer()``), for model
    /// directories of other architectures with a BERT WordPiece tokenizer (DistilBERT).
    public static func loadTokenizer(in url: URL) throws -> BertTokenizer {
        let json = url.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: json.path) {
            return try BertTokenizer(tokenizerFile: json)
        }
        return try BertTokenizer(vocabularyFile: url.appendingPathComponent("vocab.txt"), lowercase: lowercase(in: url))
    }

    /// `do_lower_case` from tokenizer_config.json (true when absent).
    static func lowercase(in url: URL) -> Bool {
        let config = url.appendingPathComponent("tokenizer_config.json")
        guard let data = try? InputFile.read(config),   // a FIFO or device is skipped, not read
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let flag = object["do_lower_case"] as? Bool else { return true }
        return flag
    }
}
