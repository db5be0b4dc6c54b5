import Foundation
import TensorCore
import BertKit

/// A reference dump written by `Scripts/dump_reference.py`: the inputs, labels, every output,
/// the loss and the gradient of every named parameter that transformers computed for a model
/// directory (keys documented in the script and in Docs/PARITY.md).
///
/// ```swift
/// let dump = try ReferenceDump(contentsOf: URL(fileURLWithPath: "minilm_reference.safetensors"))
/// dump.head                        // "model", "sequence-classification", …
/// dump.outputs["hidden_states.3"]  // [B, T, H]
/// let input = try dump.input(config: model.config)
/// ```
public struct ReferenceDump: @unchecked Sendable {
    /// The `__metadata__.format` this library reads.
    public static let format = "swift-bert-reference/1"

    public let url: URL
    /// `__metadata__` (head, architecture, versions, seed, texts, …).
    public let metadata: [String: String]
    /// Float tensors by full key (`out.…`, `grad.…`, `param.…`, `loss`, projections, float labels).
    public let tensors: [String: Tensor]
    /// Integer tensors by full key (`input.…`, integer labels).
    public let intTensors: [String: IntTensor]

    /// Reads and checks a dump.
    /// - Throws: ``ReferenceDumpError`` naming the file when it is unreadable or not a dump.
    public init(contentsOf url: URL) throws {
        self.url = url
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: url.path) } catch {
            throw ReferenceDumpError.unreadable(path: url.path, reason: "\(error)")
        }
        metadata = file.metadata
        guard metadata["format"] == Self.format else {
            throw ReferenceDumpError.notAReferenceDump(path: url.path, format: metadata["format"])
        }
        let floatTypes: Set<SafetensorsDType> = [.float32, .float16, .bfloat16, .float64]
        var floats: [String: Tensor] = [:], ints: [String: IntTensor] = [:]
        do {
            for info in file.tensorInfos {
                if floatTypes.contains(info.dtype) { floats[info.name] = try file.tensor(info.name) }
                else { ints[info.name] = try file.intTensor(info.name) }
            }
        } catch {
            throw ReferenceDumpError.unreadable(path: url.path, reason: "\(error)")
        }
        tensors = floats
        intTensors = ints
    }

    /// The head the dump was made for (`model`, `masked-lm`, `sequence-classification`,
    /// `token-classification`, `question-answering`, `pretraining`, `next-sentence`).
    public var head: String { metadata["head"] ?? "model" }
    /// The transformers class that produced the dump.
    public var architecture: String { metadata["architecture"] ?? "" }
    /// The texts the inputs were tokenized from, when the dump was made from texts.
    public var texts: [String]? {
        guard let json = metadata["texts"]?.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: json)) as? [String]
    }

    /// Tensors under `prefix`, keyed by the rest of the name.
    public func tensors(withPrefix prefix: String) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: tensors.compactMap { k, v in
            k.hasPrefix(prefix) ? (String(k.dropFirst(prefix.count)), v) : nil
        })
    }

    /// Outputs (`out.` dropped): `hidden_states.0` … `hidden_states.L`, `attentions.i`,
    /// `pooler_output`, `logits`, ….
    public var outputs: [String: Tensor] { tensors(withPrefix: "out.") }
    /// Gradients by parameter name (`grad.` dropped).
    public var gradients: [String: Tensor] { tensors(withPrefix: "grad.") }
    /// Parameters the checkpoint did not provide (a new head), by name (`param.` dropped).
    public var newParameters: [String: Tensor] { tensors(withPrefix: "param.") }
    /// The scalar loss.
    public var loss: Tensor? { tensors["loss"] }
    /// Number of encoder layers (from the metadata, else from the hidden states).
    public var layerCount: Int {
        if let n = metadata["num_hidden_layers"].flatMap(Int.init) { return n }
        return outputs.keys.filter { $0.hasPrefix("hidden_states.") }.count - 1
    }

    /// A float tensor that must be present.
    public func tensor(_ key: String) throws -> Tensor {
        guard let t = tensors[key] else { throw ReferenceDumpError.missingKey(path: url.path, key: key) }
        return t
    }

    /// An integer tensor that must be present.
    public func intTensor(_ key: String) throws -> IntTensor {
        guard let t = intTensors[key] else { throw ReferenceDumpError.missingKey(path: url.path, key: key) }
        return t
    }

    /// The dump's ids, mask and type ids as a validated model input.
    public func input(config: BertConfig) throws -> BertInput {
        try BertInput(inputIds: intTensor("input.input_ids"), attentionMask: intTensor("input.attention_mask"),
                      tokenTypeIds: intTensor("input.token_type_ids"), config: config)
    }
}
