import Foundation
import Testing
import Tokenization

/// `encode(words:)` (HF `is_split_into_words=True`) against HF tokenizers on the cases of
/// Scripts/make_pretokenized_fixtures.py: ids, type ids, per-word offsets, word ids, masks and
/// overflowing windows, for words with accents, punctuation, CJK, emoji, special tokens, words
/// that are empty after normalisation, pairs, and every truncation strategy.
@Suite struct WordsEncodingTests {
    struct Case: Decodable {
        var s: String
        var w: [String]
        var p: [String]?
        var t: TruncationSpec?
        var e: ExpectedEncoding

        var label: String {
            var text = "[\(s)] \(w.debugDescription.prefix(80))"
            if let p { text += " | \(p.debugDescription.prefix(60))" }
            if let t { text += " truncation \(t.strategy) \(t.direction) max \(t.max_length) stride \(t.stride)" }
            return text
        }
    }

    static let cases = Fixtures.lines("pretokenized.jsonl", as: Case.self)

    @Test func wordEncodingsMatchHF() throws {
        #expect(Self.cases.count > 250)  // 296
        #expect(Self.cases.contains { $0.t != nil && $0.e.error != nil }, "the fixtures should hold truncation errors")
        var failures = 0
        for c in Self.cases {
            var tokenizer = Fixtures.settings[c.s]!
            tokenizer.truncation = c.t?.truncation
            if let kind = c.e.error {
                do {
                    _ = try tokenizer.encode(words: c.w, pairWords: c.p)
                    Issue.record("\(c.label): accepted, HF raises \(kind)")
                } catch { #expect(errorKind(error) == kind, "\(c.label)") }
                continue
            }
            do {
                if !expectMatch(try tokenizer.encode(words: c.w, pairWords: c.p), c.e, c.label) { failures += 1 }
            } catch {
                Issue.record("\(c.label): \(error)")
                failures += 1
            }
            if failures > 20 { Issue.record("stopping after 20 failing cases"); return }
        }
    }

    /// The batch form gives each list's encoding, padded as a batch.
    @Test func batchEqualsOneByOne() throws {
        var tokenizer = Fixtures.settings["uncased"]!
        let lists = Self.cases.filter { $0.s == "uncased" && $0.p == nil && $0.t == nil }.map(\.w)
        #expect(lists.count > 50)
        let batch = try tokenizer.encodeBatch(words: lists)
        let single = try lists.map { try tokenizer.encode(words: $0) }
        #expect(batch == single)
        tokenizer.padding = Padding(strategy: .longest)
        let padded = try tokenizer.encodeBatch(words: lists)
        let longest = batch.map(\.count).max()!
        #expect(padded.allSatisfy { $0.count == longest })
        #expect(zip(padded, batch).allSatisfy { Array($0.ids.prefix($1.count)) == $1.ids })
    }

    /// Regression: a word the pre-tokeniser splits keeps one word id, and a word that normalises
    /// to nothing leaves its index unused (the next word keeps its own index).
    @Test func splitAndEmptyWordsKeepTheirIndices() throws {
        let tokenizer = Fixtures.settings["uncased"]!
        let e = try tokenizer.encode(words: ["U.S.", "\u{7}", "Café"])
        #expect(e.wordIds == [nil, 0, 0, 0, 0, 2, nil])
        #expect(e.offsets == [0..<0, 0..<1, 1..<2, 2..<3, 3..<4, 0..<4, 0..<0])
    }
}
