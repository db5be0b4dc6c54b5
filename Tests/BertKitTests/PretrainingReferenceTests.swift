import Foundation
import Testing
import BertKit
import Tokenization

/// `--google-compatible` output against google-research/bert's create_pretraining_data.py, run
/// by Scripts/make_pretraining_fixtures.py on State of the Union text and on edge cases (empty
/// and one-sentence documents, a one-document corpus, overlong sentences, lines that tokenize
/// to nothing, invalid UTF-8, binary garbage, an empty file), with and without whole-word
/// masking: every field of every instance, in order.
@Suite struct PretrainingReferenceTests {
    @Test(arguments: try PretrainingFixtures.cases().map(\.name))
    func equalsReferenceInstanceForInstance(name: String) throws {
        let c = try PretrainingFixtures.cases().first { $0.name == name }!
        let vocab = try PretrainingFixtures.vocabulary()
        let expected = try PretrainingFixtures.expected(c.expected)
        #expect(expected.count == c.count)
        let got = try PretrainingFixtures.run(c).map { PretrainingFixtures.asExpected($0, vocab) }
        #expect(got.count == expected.count)
        for (k, (g, e)) in zip(got, expected).enumerated() {
            #expect(g.tokens == e.tokens, "\(name) instance \(k): tokens")
            #expect(g.segmentIds == e.segmentIds, "\(name) instance \(k): segment_ids")
            #expect(g.isRandomNext == e.isRandomNext, "\(name) instance \(k): is_random_next")
            #expect(g.positions == e.positions, "\(name) instance \(k): masked_lm_positions")
            #expect(g.labels == e.labels, "\(name) instance \(k): masked_lm_labels")
            if g != e { break }
        }
    }

    /// The fixtures exercise what they claim: whole-word groups are masked together, some
    /// instances are random-next and some not, and instances reach max_seq_length.
    @Test func fixturesCoverTheInterestingCases() throws {
        let cases = try PretrainingFixtures.cases()
        let wwm = try PretrainingFixtures.expected("sotu_wwm.jsonl")
        // A "##" label whose position's predecessor is also masked: a whole word was masked.
        let wholeWords = wwm.filter { e in
            zip(e.positions, e.labels).contains { p, l in l.hasPrefix("##") && e.positions.contains(p - 1) }
        }
        #expect(!wholeWords.isEmpty)
        let sotu = try PretrainingFixtures.expected("sotu.jsonl")
        #expect(sotu.contains { $0.isRandomNext } && sotu.contains { !$0.isRandomNext })
        #expect(sotu.contains { $0.tokens.count == 128 })
        #expect(cases.first { $0.name == "empty" }!.count == 0)
        #expect(cases.first { $0.name == "single_sentence" }!.count > 0)
    }
}
