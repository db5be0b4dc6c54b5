import Foundation
import Testing
import Tokenization

/// The WordPiece trainer against several runs of HF's WordPieceTrainer on the same corpus.
///
/// HF breaks ties between equal pair counts by hash-map order, which is random per process, so its
/// own runs differ near the end of the vocabulary. What all runs agree on must be reproduced
/// exactly; what they disagree on must stay within what some HF run produced.
@Suite struct TrainerTests {
    struct Config: Decodable { var vocab_size: Int; var min_frequency: Int; var limit_alphabet: Int; var lowercase: Bool }
    struct Case: Decodable { var config: Config; var runs: [[String]] }

    static let corpus: [String] = {
        let text = String(decoding: Fixtures.data("corpus.txt"), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }()

    static let cases = try! JSONDecoder().decode([Case].self, from: Fixtures.data("trainer.json"))

    @Test(arguments: 0..<3)
    func trainerMatchesHF(index: Int) throws {
        let c = Self.cases[index]
        let trainer = WordPieceTrainer(vocabSize: c.config.vocab_size, minFrequency: c.config.min_frequency,
                                       limitAlphabet: c.config.limit_alphabet,
                                       normalizer: BertNormalizer(lowercase: c.config.lowercase))
        let vocab = trainer.train(lines: Self.corpus)
        let ours = (0..<vocab.count).map { vocab.token(for: $0)! }
        let label = "vocab \(c.config.vocab_size) min \(c.config.min_frequency) alphabet \(c.config.limit_alphabet)"

        // Sizes: equal when the size limit stops training; within HF's range when frequencies do.
        let sizes = c.runs.map(\.count)
        #expect(ours.count >= sizes.min()! && ours.count <= sizes.max()!, "\(label): \(ours.count) vs HF \(sizes)")

        // Specials and alphabet (code point order) are deterministic in HF: identical.
        func split(_ v: [String]) -> (prefix: [String], continuation: Set<String>, merged: [String]) {
            var i = 5
            while i < v.count && !v[i].hasPrefix("##") { i += 1 }
            var j = i
            while j < v.count && v[j].hasPrefix("##") && v[j].unicodeScalars.count == 3 { j += 1 }
            return (Array(v[..<i]), Set(v[i..<j]), Array(v[j...]))
        }
        let hf = c.runs.map(split)
        #expect(Set(hf.map(\.prefix)).count == 1, "HF runs agree on specials + alphabet")
        let mine = split(ours)
        #expect(mine.prefix == hf[0].prefix, "\(label): specials + alphabet")
        #expect(Array(mine.prefix.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        // The continuation characters ("##x"): HF numbers them in random order, but the set is fixed.
        #expect(Set(hf.map(\.continuation)).count == 1)
        #expect(mine.continuation == hf[0].continuation, "\(label): continuation characters")

        // Merged tokens: everything every HF run learned, nothing no HF run learned.
        let all = hf.map { Set($0.merged) }
        let core = all.dropFirst().reduce(all[0]) { $0.intersection($1) }
        let union = all.dropFirst().reduce(all[0]) { $0.union($1) }
        let mineSet = Set(mine.merged)
        #expect(core.subtracting(mineSet).isEmpty, "\(label): missing \(core.subtracting(mineSet).sorted().prefix(10))")
        #expect(mineSet.subtracting(union).isEmpty, "\(label): unexpected \(mineSet.subtracting(union).sorted().prefix(10))")
        #expect(core.count * 10 >= union.count * 9, "HF runs mostly agree (\(core.count) of \(union.count))")

        // The order of merges, as far as all HF runs agree on it.
        var agreed = 0
        while agreed < hf[0].merged.count, hf.allSatisfy({ agreed < $0.merged.count && $0.merged[agreed] == hf[0].merged[agreed] }) {
            agreed += 1
        }
        #expect(Array(mine.merged.prefix(agreed)) == Array(hf[0].merged.prefix(agreed)), "\(label): merge order")
    }

    /// A vocabulary trained here tokenizes: every corpus word is covered, [UNK] only for
    /// characters cut by the alphabet limit.
    @Test func trainedVocabularyTokenizes() throws {
        var trainer = WordPieceTrainer(vocabSize: 800, limitAlphabet: 200)
        trainer.normalizer = BertNormalizer(lowercase: false)
        let vocab = trainer.train(lines: Self.corpus)
        #expect(vocab.count == 800)
        let tokenizer = try BertTokenizer(vocabulary: vocab, normalizer: trainer.normalizer)
        let e = try tokenizer.encode(Self.corpus[3])
        #expect(!e.ids.contains(tokenizer.model.unknownId))
        #expect(tokenizer.decode(e.ids).count > 10)
        // Words keyed by bytes: "é" and "e" + U+0301 are different words.
        let counts = WordPieceTrainer(normalizer: BertNormalizer(lowercase: false)).wordCounts(lines: ["caf\u{E9} cafe\u{301} caf\u{E9}"])
        #expect(counts.count == 2)
        #expect(counts.map(\.count).sorted() == [1, 2])
    }
}
