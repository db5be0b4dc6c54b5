import Foundation
import TensorCore

/// The difference of two checkpoints' (or a checkpoint's and a model's) key sets and shapes.
///
/// ```swift
/// let diff = try CheckpointDiff(contentsOf: URL(fileURLWithPath: "a/model.safetensors"),
///                               URL(fileURLWithPath: "b/model.safetensors"), keys: .bert)
/// print(diff)   // only in a / only in b / shape differs, one key per line
/// expectParity(diff)
/// ```
/// Only headers are read: comparing two large checkpoints costs no tensor data.
public struct CheckpointDiff: ParityReport, Sendable {
    /// How keys are matched.
    public enum KeyNormalization: Sendable {
        /// Keys compared as written.
        case exact
        /// Hugging Face BERT spellings made equal: a leading `bert.` is dropped, LayerNorm
        /// `gamma`/`beta` become `weight`/`bias`, the `position_ids`/`token_type_ids` buffers are
        /// ignored.
        case bert

        func apply(_ key: String) -> String? {
            guard case .bert = self else { return key }
            if key.hasSuffix("embeddings.position_ids") || key.hasSuffix("embeddings.token_type_ids") { return nil }
            var k = key.hasPrefix("bert.") ? String(key.dropFirst(5)) : key
            if k.hasSuffix(".gamma") { k = String(k.dropLast(6)) + ".weight" }
            if k.hasSuffix(".beta") { k = String(k.dropLast(5)) + ".bias" }
            return k
        }
    }

    /// A key present on both sides with different shapes.
    public struct ShapeDifference: Sendable, Equatable {
        public var key: String
        public var first: [Int]
        public var second: [Int]
    }

    /// Labels of the two sides for messages.
    public var firstName: String
    public var secondName: String
    /// Keys (normalised) only in the first / only in the second, sorted, with their shapes.
    public var onlyInFirst: [(key: String, shape: [Int])]
    public var onlyInSecond: [(key: String, shape: [Int])]
    public var shapeDifferences: [ShapeDifference]
    /// Keys present on both sides with equal shapes.
    public var matchingCount: Int

    public var passed: Bool { onlyInFirst.isEmpty && onlyInSecond.isEmpty && shapeDifferences.isEmpty }

    /// Compares two name → shape maps.
    public init(_ first: [String: [Int]], _ second: [String: [Int]], keys: KeyNormalization = .exact,
                firstName: String = "first", secondName: String = "second") {
        func normalise(_ m: [String: [Int]]) -> [String: [Int]] {
            var out: [String: [Int]] = [:]
            for (k, v) in m { if let n = keys.apply(k) { out[n] = v } }
            return out
        }
        let a = normalise(first), b = normalise(second)
        self.firstName = firstName
        self.secondName = secondName
        onlyInFirst = a.keys.filter { b[$0] == nil }.sorted().map { ($0, a[$0]!) }
        onlyInSecond = b.keys.filter { a[$0] == nil }.sorted().map { ($0, b[$0]!) }
        shapeDifferences = a.keys.filter { b[$0] != nil && b[$0] != a[$0] }.sorted()
            .map { ShapeDifference(key: $0, first: a[$0]!, second: b[$0]!) }
        matchingCount = a.keys.filter { b[$0] == a[$0] }.count
    }

    /// Compares two safetensors files (headers only).
    public init(contentsOf first: URL, _ second: URL, keys: KeyNormalization = .exact) throws {
        self.init(try Self.shapes(first), try Self.shapes(second), keys: keys, firstName: first.path,
                  secondName: second.path)
    }

    /// Compares a module's parameters with a safetensors file (what a load would find).
    public init(_ module: any Module, contentsOf url: URL, keys: KeyNormalization = .bert) throws {
        let params = Dictionary(module.namedParameters().map { ($0.0, $0.1.shape) }, uniquingKeysWith: { a, _ in a })
        self.init(params, try Self.shapes(url), keys: keys, firstName: "model", secondName: url.path)
    }

    static func shapes(_ url: URL) throws -> [String: [Int]] {
        let file = try SafetensorsFile(path: url.path)
        return Dictionary(file.tensorInfos.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
    }

    public var description: String {
        var lines = [passed ? "checkpoints match: \(matchingCount) keys with equal shapes"
                            : "checkpoints differ: \(matchingCount) keys match, \(onlyInFirst.count) only in \(firstName), "
                              + "\(onlyInSecond.count) only in \(secondName), \(shapeDifferences.count) of another shape"]
        for e in onlyInFirst { lines.append("  only in \(firstName): \(e.key) \(e.shape)") }
        for e in onlyInSecond { lines.append("  only in \(secondName): \(e.key) \(e.shape)") }
        for d in shapeDifferences { lines.append("  shape differs: \(d.key) \(d.first) vs \(d.second)") }
        return lines.joined(separator: "\n")
    }
}
