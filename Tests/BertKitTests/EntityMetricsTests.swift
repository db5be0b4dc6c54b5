import Foundation
import Testing
import BertKit

/// Entity metrics equal seqeval 1.2.2's default mode on the cases of
/// Scripts/make_seqeval_fixtures.py (Fixtures/tagging/seqeval.json): hand-picked edge cases (I-
/// after O, type changes, IOBES, bare and odd tags, empty sentences) and 60 random ones.
@Suite struct EntityMetricsTests {
    struct Case: Decodable {
        var gold: [[String]]
        var pred: [[String]]
        var entities_true: [[JSONScalar]]
        var entities_pred: [[JSONScalar]]
        var micro: [Double]
        var types: [String: [Double]]
        var accuracy: Double?
    }

    /// A JSON array element that is a string or a number.
    enum JSONScalar: Decodable, Equatable {
        case string(String), number(Int)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .number(i) } else { self = .string(try c.decode(String.self)) }
        }
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: fixturesURL("tagging/seqeval.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    static func entities(_ rows: [[JSONScalar]]) -> [EntityMetrics.Entity] {
        rows.map { row in
            guard case let .string(type) = row[0], case let .number(start) = row[1], case let .number(end) = row[2] else {
                fatalError("malformed fixture row \(row)")
            }
            return EntityMetrics.Entity(type: type, start: start, end: end)
        }
    }

    static func expectScore(_ got: EntityMetrics.Score?, _ want: [Double], _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let got else { Issue.record("\(what): missing", sourceLocation: sourceLocation); return }
        let values = [got.precision, got.recall, got.f1, Double(got.support)]
        for (name, (g, w)) in zip(["precision", "recall", "f1", "support"], zip(values, want)) {
            #expect(abs(g - w) <= 1e-12, "\(what) \(name): \(g) vs seqeval \(w)", sourceLocation: sourceLocation)
        }
    }

    @Test func entitiesEqualSeqevalGetEntities() {
        #expect(Self.cases.count == 78)
        for (k, c) in Self.cases.enumerated() {
            #expect(EntityMetrics.entities(c.gold) == Self.entities(c.entities_true), "case \(k) gold \(c.gold)")
            #expect(EntityMetrics.entities(c.pred) == Self.entities(c.entities_pred), "case \(k) pred \(c.pred)")
        }
    }

    @Test func scoresEqualSeqeval() {
        for (k, c) in Self.cases.enumerated() {
            let m = EntityMetrics(gold: c.gold, predicted: c.pred)
            Self.expectScore(m.overall, c.micro, "case \(k) micro")
            #expect(m.typeNames == c.types.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) },
                    "case \(k) types")
            for (type, want) in c.types { Self.expectScore(m.types[type], want, "case \(k) \(type)") }
            if let accuracy = c.accuracy {
                #expect(abs(m.accuracy - accuracy) <= 1e-12, "case \(k) accuracy \(m.accuracy) vs \(accuracy)")
            } else {
                #expect(m.accuracy == 0, "case \(k): no tag, accuracy 0")
            }
        }
    }

    /// The fixtures cover what the brief names: I- after O, type changes, E-/S- tags, no entity.
    @Test func fixturesHoldTheEdgeCases() {
        let tags = Set(Self.cases.flatMap { $0.gold.flatMap { $0 } + $0.pred.flatMap { $0 } })
        for tag in ["O", "I-PER", "E-LOC", "S-PER", "B", ".", "B-I-X"] { #expect(tags.contains(tag), "\(tag) missing") }
        #expect(Self.cases.contains { $0.micro[3] == 0 })
        let m = EntityMetrics(gold: [["O", "I-PER", "I-PER", "O"]], predicted: [["O", "B-PER", "I-PER", "O"]])
        #expect(m.overall.f1 == 1, "I- after O starts an entity")
    }
}
