import Foundation
import Testing
import BertKit
import Tokenization

/// Bad input never stops a run; unusable vocabularies and settings fail up front with a typed
/// error; streaming mode gives valid instances with bounded blocks.
@Suite struct PretrainingInputTests {
    static func temporaryFile(_ bytes: [UInt8], name: String = UUID().uuidString) throws -> String {
        let path = NSTemporaryDirectory() + "pretraining-input-" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["[MASK]", "[CLS]", "[SEP]"])
    func vocabularyWithoutSpecialTokenIsRejected(missing: String) throws {
        let text = try String(contentsOf: PretrainingFixtures.url("vocab.txt"), encoding: .utf8)
        let tokens = text.split(separator: "\n").map(String.init).filter { $0 != missing }
        #expect(throws: PretrainingError.missingSpecialToken(token: missing, source: "v.txt")) {
            try PretrainingVocabulary(vocabulary: Vocabulary(tokens: tokens), source: "v.txt")
        }
    }

    @Test func unusableSettingsAreRejected() throws {
        var s = PretrainingSettings()
        s.maxSeqLength = 4
        #expect(throws: PretrainingError.self) { try s.validate() }
        s = PretrainingSettings(); s.maskedLMProbability = 1.5
        #expect(throws: PretrainingError.self) { try s.validate() }
        s = PretrainingSettings(); s.dupeFactor = 0
        #expect(throws: PretrainingError.self) { try s.validate() }
        #expect(throws: PretrainingError.unreadableInput(path: "/no/such/corpus", reason: "no such file or directory")) {
            try CorpusFiles.expand(["/no/such/corpus"])
        }
    }

    /// Every instance is well formed: `[CLS] A [SEP] B [SEP]`, both segments non-empty, within
    /// the limits, masks sorted with labels that are the pre-mask tokens' kind.
    static func checkWellFormed(_ instances: [TrainingInstance], _ s: PretrainingSettings,
                                _ vocab: PretrainingVocabulary) {
        for instance in instances {
            let t = instance.tokens, first = instance.firstSegmentLength
            #expect(t.count <= s.maxSeqLength && first >= 3 && t.count - first >= 2)
            #expect(t[0] == vocab.clsId && t[first - 1] == vocab.sepId && t.last == vocab.sepId)
            #expect(!t[1..<(first - 1)].contains(vocab.clsId) && !t[first..<(t.count - 1)].contains(vocab.sepId))
            #expect(instance.maskedPositions == instance.maskedPositions.sorted())
            #expect(instance.maskedPositions.count <= s.maxPredictions && !instance.maskedPositions.isEmpty)
            #expect(instance.maskedPositions.allSatisfy { t[Int($0)] != vocab.clsId && t[Int($0)] != vocab.sepId })
        }
    }

    @Test func garbageAndEdgeFilesStreamInSmallBlocks() throws {
        let tokenizer = try PretrainingFixtures.tokenizer()
        let vocab = try PretrainingVocabulary(tokenizer: tokenizer)
        var rng = PythonRandom(seed: 99)
        let garbage = try Self.temporaryFile((0..<200_000).map { _ in UInt8(rng.randbelow(256)) })
        let noNewline = try Self.temporaryFile(Array(repeating: UInt8(ascii: "a"), count: 5 << 20))   // one 5 MiB line
        defer { for p in [garbage, noNewline] { try? FileManager.default.removeItem(atPath: p) } }
        var s = PretrainingSettings()
        s.maxSeqLength = 32; s.maxPredictions = 5; s.dupeFactor = 2
        let inputs = ["edge.txt", "empty.txt", "garbage.bin", "single_sentence.txt", "sotu.txt"]
            .map { PretrainingFixtures.url($0).path } + [garbage, noNewline]
        let pipeline = try PretrainingDataPipeline(settings: s, vocabulary: vocab, blockTokens: 500)
        let sink = CollectingSink()
        let summary = try pipeline.run(stream: DocumentStream(files: try CorpusFiles.expand(inputs), tokenizer: tokenizer),
                                       sink: sink)
        #expect(sink.finished)
        #expect(summary.blocks > 10)
        #expect(summary.instances == sink.instances.count && summary.instances > 100)
        Self.checkWellFormed(sink.instances, s, vocab)
    }

    @Test func googleCompatibleEdgeCasesAreWellFormed() throws {
        let vocab = try PretrainingFixtures.vocabulary()
        for c in try PretrainingFixtures.cases() {
            Self.checkWellFormed(try PretrainingFixtures.run(c), c.settings, vocab)
        }
    }

    @Test func oneBlockStreamingEqualsGoogleCompatible() throws {
        let c = try PretrainingFixtures.cases().first { $0.name == "sotu_wwm" }!
        #expect(try PretrainingFixtures.run(c, googleCompatible: false) == PretrainingFixtures.run(c))
    }

    @Test func directoryInputIsReadInSortedOrder() throws {
        let directory = NSTemporaryDirectory() + "corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/b", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: directory + "/b/2.txt"))
        try Data("y\n".utf8).write(to: URL(fileURLWithPath: directory + "/a.txt"))
        try Data("z\n".utf8).write(to: URL(fileURLWithPath: directory + "/.hidden"))
        #expect(try CorpusFiles.expand([directory]).map(\.path) == [directory + "/a.txt", directory + "/b/2.txt"])
    }

    @Test func pythonStripAndLineReading() throws {
        #expect(PythonText.strippedRange(Array(" \u{3000}text\r".utf8)) == 4..<8)
        #expect(PythonText.strippedRange(Array("\u{1C}\u{85}\u{A0}\u{2028}".utf8)).isEmpty)
        #expect(PythonText.strippedRange(Array("\u{200B}".utf8)) == 0..<3)          // not whitespace in Python
        #expect(PythonText.strippedRange([0x20, 0xFF, 0x20]) == 1..<2)               // invalid byte kept (U+FFFD)
        let path = try Self.temporaryFile(Array("one\r\ntwo\n\nlast".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try LineReader(path: path, blockSize: 4)
        var lines: [String] = []
        while let line = try reader.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
        #expect(lines == ["one\r", "two", "", "last"])
    }

    @Test func sentenceSplitterRules() {
        let splitter = SentenceSplitter()
        #expect(splitter.split("Mr. Smith went to Washington. He arrived at 3 p.m. on Monday!")
                == ["Mr. Smith went to Washington.", "He arrived at 3 p.m. on Monday!"])
        #expect(splitter.split("Dr. J. R. Smith lives in the U.S.A. He is fine.") == ["Dr. J. R. Smith lives in the U.S.A. He is fine."])
        #expect(splitter.split("It cost 3.50 dollars. \"Really?\" she asked. Yes!")
                == ["It cost 3.50 dollars.", "\"Really?\" she asked.", "Yes!"])
        #expect(splitter.split("Wait... what happened? nothing.") == ["Wait... what happened? nothing."])
        #expect(splitter.split("e.g. this stays. And this splits.") == ["e.g. this stays.", "And this splits."])
        #expect(splitter.split("   ").isEmpty)
    }

    @Test func splitSentencesFeedsTheSameBuilder() throws {
        let tokenizer = try PretrainingFixtures.tokenizer()
        let vocab = try PretrainingVocabulary(tokenizer: tokenizer)
        let path = try Self.temporaryFile(Array("First sentence here. Mr. Brown said so. Third one!\n\nOther document. Its second.\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var sentences: [[Int32]] = []
        let stream = DocumentStream(files: try CorpusFiles.expand([path]), tokenizer: tokenizer, splitter: SentenceSplitter())
        var starts: [Bool] = []
        try stream.forEachSentence { ids, first in sentences.append(ids); starts.append(first) }
        #expect(starts == [true, false, false, true, false])
        let expected = try tokenizer.encode("Mr. Brown said so.", addSpecialTokens: false).ids.map { Int32($0) }
        #expect(sentences[1] == expected)
        #expect(sentences[1].prefix(2).map(vocab.token) == ["mr", "."])
    }
}
