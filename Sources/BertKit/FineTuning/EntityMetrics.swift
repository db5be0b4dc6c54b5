import Foundation
import TensorCore

/// Entity-level precision, recall and F1 of tag sequences (micro-averaged and per entity type)
/// and token accuracy, exactly as seqeval 1.2.2 computes them in its default, conlleval-compatible
/// mode — the metric of transformers' `run_ner.py` (checked against
/// `Scripts/make_seqeval_fixtures.py`).
///
/// How chunks are read (seqeval's `get_entities`): a tag's first character is its prefix and
/// the part after the first `-` its type (`B-PER` → `B`, `PER`; a tag without a type, `B` or `O`,
/// has type `_`). A chunk starts at `B`, `S`, at `I`/`E` after `O` or after the end of a chunk,
/// and at any change of type; it ends before `B`/`S`/`O` after `B`/`I`, after every `E`/`S`, and
/// at a change of type. So `I-PER` after `O` starts an entity (conlleval does the same), IOBES
/// tags work without a declared scheme, and sentences are joined with an `O` between them, so a
/// chunk never runs over a sentence end. An entity is right when type, first and last word match.
/// Tags compare as Swift strings: two canonically equivalent spellings of one tag (precomposed
/// and decomposed accents) are equal here and different in Python.
///
/// ```swift
/// let m = EntityMetrics(gold: [["B-PER", "I-PER", "O", "B-LOC"]], predicted: [["B-PER", "I-PER", "O", "O"]])
/// m.overall.f1          // 0.667 (precision 1, recall 0.5)
/// m.types["LOC"]?.recall   // 0
/// m.accuracy            // 0.75
/// ```
public struct EntityMetrics: Sendable, Equatable {
    /// One chunk: its type and its first and last position (inclusive) in the sentences joined
    /// with one `O` between them (seqeval's positions).
    public struct Entity: Sendable, Hashable {
        public var type: String
        public var start: Int
        public var end: Int

        public init(type: String, start: Int, end: Int) {
            self.type = type
            self.start = start
            self.end = end
        }
    }

    /// Scores of one entity type, or of all (micro average).
    public struct Score: Sendable, Equatable {
        /// correct / predicted (0 when nothing was predicted).
        public var precision: Double
        /// correct / gold (0 when there is no gold entity).
        public var recall: Double
        /// 2·p·r / (p + r) (0 when both are 0).
        public var f1: Double
        /// Gold entities (seqeval's support, `evaluate`'s "number").
        public var support: Int
        public var predicted: Int
        public var correct: Int

        init(correct: Int, predicted: Int, gold: Int) {
            self.correct = correct
            self.predicted = predicted
            support = gold
            precision = predicted == 0 ? 0 : Double(correct) / Double(predicted)
            recall = gold == 0 ? 0 : Double(correct) / Double(gold)
            // seqeval: (1 + β²)·p·r / (β²·p + r), the denominator 0 replaced by 1.
            let denominator = precision + recall
            f1 = 2 * precision * recall / (denominator == 0 ? 1 : denominator)
        }
    }

    /// Micro average over every entity of every type.
    public let overall: Score
    /// Per entity type found in the gold or the predicted tags.
    public let types: [String: Score]
    /// Equal tags / tags over all sentences (0 when there is no tag; seqeval raises).
    public let accuracy: Double

    /// The entity types in seqeval's report order (sorted).
    public var typeNames: [String] { types.keys.sorted(by: Self.codePointOrder) }

    /// - Parameters: `gold` and `predicted` hold the same number of sentences, each of the same
    ///   length in both.
    public init(gold: [[String]], predicted: [[String]]) {
        check(gold.count == predicted.count && zip(gold, predicted).allSatisfy { $0.count == $1.count },
              "EntityMetrics: gold and predicted sentences differ in number or length "
                  + "(\(gold.map(\.count).prefix(8)) vs \(predicted.map(\.count).prefix(8)))")
        var goldByType: [String: Set<Entity>] = [:], predictedByType: [String: Set<Entity>] = [:]
        for e in Self.entities(gold) { goldByType[e.type, default: []].insert(e) }
        for e in Self.entities(predicted) { predictedByType[e.type, default: []].insert(e) }
        var types: [String: Score] = [:]
        var correct = 0, predictedCount = 0, goldCount = 0
        for type in Set(goldByType.keys).union(predictedByType.keys) {
            let g = goldByType[type] ?? [], p = predictedByType[type] ?? []
            let c = g.intersection(p).count
            types[type] = Score(correct: c, predicted: p.count, gold: g.count)
            correct += c
            predictedCount += p.count
            goldCount += g.count
        }
        self.types = types
        overall = Score(correct: correct, predicted: predictedCount, gold: goldCount)
        var equal = 0, total = 0
        for (g, p) in zip(gold, predicted) {
            total += g.count
            equal += zip(g, p).filter { $0 == $1 }.count
        }
        accuracy = total == 0 ? 0 : Double(equal) / Double(total)
    }

    /// The chunks of sentences joined with an `O` between them (seqeval's `get_entities` of a
    /// list of lists).
    public static func entities(_ sentences: [[String]]) -> [Entity] {
        var flat: [String] = []
        for s in sentences { flat += s; flat.append("O") }
        return entities(in: flat)
    }

    /// The chunks of one tag sequence, in order.
    public static func entities(in tags: [String]) -> [Entity] {
        var chunks: [Entity] = []
        var previous = (prefix: "O", type: "")
        var begin = 0
        for (i, tag) in (tags + ["O"]).enumerated() {
            let current = split(tag)
            if endsChunk(previous, current) { chunks.append(Entity(type: previous.type, start: begin, end: i - 1)) }
            if startsChunk(previous, current) { begin = i }
            previous = current
        }
        return chunks
    }

    /// Prefix (the first character) and type (after the first `-` of the rest, else the rest;
    /// `_` when empty), as seqeval reads a tag.
    static func split(_ tag: String) -> (prefix: String, type: String) {
        let scalars = Array(tag.unicodeScalars)  // Python indexes code points
        guard let first = scalars.first else { return ("", "_") }
        var type = scalars[1...]
        if let dash = type.firstIndex(of: "-") { type = type[(dash + 1)...] }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: type)
        return (String(first), type.isEmpty ? "_" : String(text))
    }

    static func endsChunk(_ previous: (prefix: String, type: String), _ current: (prefix: String, type: String)) -> Bool {
        let (p, t) = (previous.prefix, current.prefix)
        if p == "E" || p == "S" { return true }
        if (p == "B" || p == "I") && (t == "B" || t == "S" || t == "O") { return true }
        return p != "O" && p != "." && previous.type != current.type
    }

    static func startsChunk(_ previous: (prefix: String, type: String), _ current: (prefix: String, type: String)) -> Bool {
        let (p, t) = (previous.prefix, current.prefix)
        if t == "B" || t == "S" { return true }
        if (p == "E" || p == "S" || p == "O") && (t == "E" || t == "I") { return true }
        return t != "O" && t != "." && previous.type != current.type
    }

    /// Python's string order (by code point), which seqeval and `sorted` use.
    static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.map(\.value).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
    }
}
