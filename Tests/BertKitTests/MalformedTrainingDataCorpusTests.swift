import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The malformed-input corpus for training data (issue 15): pretraining instance `.jsonl` files,
/// shards, raw-text corpora and fine-tuning TSV files. Each case must throw the reader's typed
/// error naming the file (and line) and the problem — never trap or hang — and leave no file behind.
@Suite struct MalformedTrainingDataCorpusTests {
    /// One valid instance line of the pretraining fixture vocabulary.
    static let good = #"{"tokens": ["[CLS]", "[MASK]", "sentence", "[SEP]", "one", "[SEP]"], "segment_ids": [0, 0, 0, 0, 1, 1], "is_random_next": false, "masked_lm_positions": [1], "masked_lm_labels": ["one"]}"#

    static func line(_ replace: String, with: String) -> String { good.replacingOccurrences(of: replace, with: with) }

    static let instanceCases: [(String, [UInt8], [String])] = [
        ("not JSON on line 2", Array((good + "\n{\"tokens\": [\n").utf8), [":2", "not a pretraining instance"]),
        ("a JSON array", Array("[1, 2, 3]\n".utf8), [":1", "not a pretraining instance"]),
        ("missing tokens", Array(line(#""tokens": ["[CLS]", "[MASK]", "sentence", "[SEP]", "one", "[SEP]"], "#, with: "").utf8),
         [":1", "not a pretraining instance"]),
        ("tokens are numbers", Array(line(#"["[CLS]", "[MASK]", "sentence", "[SEP]", "one", "[SEP]"]"#, with: "[1, 2, 3, 4, 5, 6]").utf8),
         [":1", "not a pretraining instance"]),
        ("is_random_next a string", Array(line("false", with: "\"no\"").utf8), [":1", "not a pretraining instance"]),
        ("unknown token", Array(line("\"sentence\"", with: "\"zyzzyva\"").utf8), [":1", "zyzzyva", "not in the vocabulary"]),
        ("unknown masked label", Array(line("[\"one\"]", with: "[\"qqqq\"]").utf8), [":1", "qqqq", "not in the vocabulary"]),
        ("segment_ids shorter than tokens", Array(line("[0, 0, 0, 0, 1, 1]", with: "[0, 0, 1]").utf8), [":1", "do not match"]),
        ("masked position past the end", Array(line("\"masked_lm_positions\": [1]", with: "\"masked_lm_positions\": [60]").utf8),
         [":1", "do not match"]),
        ("negative masked position", Array(line("\"masked_lm_positions\": [1]", with: "\"masked_lm_positions\": [-1]").utf8),
         [":1", "do not match"]),
        ("more positions than labels", Array(line("\"masked_lm_positions\": [1]", with: "\"masked_lm_positions\": [1, 2]").utf8),
         [":1", "do not match"]),
        ("huge masked position", Array(line("\"masked_lm_positions\": [1]", with: "\"masked_lm_positions\": [9223372036854775807]").utf8),
         [":1", "do not match"]),
        ("masked position past Int", Array(line("\"masked_lm_positions\": [1]", with: "\"masked_lm_positions\": [99999999999999999999]").utf8),
         [":1", "not a pretraining instance"]),
        ("invalid UTF-8 on line 3", Array((good + "\n" + good + "\n").utf8) + [0xC3, 0x28, 0x0A], [":3", "not a pretraining instance"]),
        ("NUL bytes", [0, 0, 0, 0x0A], [":1", "not a pretraining instance"]),
    ]

    @Test(arguments: instanceCases)
    func malformedInstanceLines(name: String, bytes: [UInt8], fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("instances.jsonl", bytes)
        let vocabulary = try Vocabulary(contentsOf: PretrainingFixtures.url("vocab.txt"))
        let before = scratch.listing()
        try expectRefusal(TrainingError.self, names: url.path, fragments, name) {
            _ = try InstanceLinesSource(url: url, vocabulary: vocabulary)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    @Test func instanceLongerThanTheSequenceLengthIsNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("instances.jsonl", Self.good + "\n")
        let vocabulary = try Vocabulary(contentsOf: PretrainingFixtures.url("vocab.txt"))
        try expectRefusal(TrainingError.self, names: url.path, ["6 tokens", "--max-seq-length 4"], "too long") {
            _ = try InstanceLinesSource(url: url, vocabulary: vocabulary, sequenceLength: 4)
        }
        // The same file at a length that fits is read: the corpus cases above fail for their own reason.
        #expect(try InstanceLinesSource(url: url, vocabulary: vocabulary, sequenceLength: 8).count == 1)
    }

    @Test(arguments: ["fifo", "directory", "missing"])
    func specialInstanceFilesAreRefusedUnopened(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try Self.special(kind, named: "instances.jsonl", in: scratch)
        let vocabulary = try Vocabulary(contentsOf: PretrainingFixtures.url("vocab.txt"))
        try expectRefusal(TrainingError.self, names: url.path, [Self.reason(kind)], kind) {
            _ = try InstanceLinesSource(url: url, vocabulary: vocabulary)
        }
    }

    // MARK: shards

    /// A valid shard of the pretraining fixture text (8 instances, static masks).
    static func validShard(in scratch: Scratch) throws -> [UInt8] {
        let tables = try PretrainingVocabulary(vocabulary: try Vocabulary(contentsOf: PretrainingFixtures.url("vocab.txt")))
        let instances = try RawTextInstances.prepare(paths: [PretrainingFixtures.url("edge.txt").path], vocabulary: tables,
                                                     maxSeqLength: 32, maxPredictions: 5, seed: 1, staticMasks: true)
        let path = scratch.path("valid.bkpt").path
        let writer = try ShardWriter(path: path, maxSeqLength: 32, maxPredictions: 5, staticallyMasked: true)
        for instance in instances.prefix(8) { try writer.write(instance) }
        try writer.finish()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static let shardCases: [(String, @Sendable ([UInt8]) -> [UInt8])] = [
        ("empty file", { _ in [] }),
        ("one byte", { _ in [0x42] }),
        ("foreign magic", { var b = $0; b[0] ^= 0xFF; return b }),
        ("cut in half", { Array($0.prefix($0.count / 2)) }),
        ("last byte missing", { Array($0.dropLast()) }),
        ("footer zeroed", { $0.dropLast(16) + [UInt8](repeating: 0, count: 16) }),
        ("footer all ones", { $0.dropLast(16) + [UInt8](repeating: 0xFF, count: 16) }),
        ("garbage appended", { $0 + [UInt8](repeating: 0xAB, count: 37) }),
        ("first record offset 2^64-1", { Self.settingFirstRecordOffset($0, to: .max) }),
        ("first record offset past the index", { Self.settingFirstRecordOffset($0, to: 1 << 40) }),
        ("random bytes", { _ in (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) } }),
    ]

    /// `shard` with its first index entry (a little-endian UInt64 record offset) replaced.
    static func settingFirstRecordOffset(_ shard: [UInt8], to offset: UInt64) -> [UInt8] {
        var bytes = shard
        let footer = bytes.count - ShardFormat.footerSize
        let index = (0..<8).reduce(0) { $0 | Int(bytes[footer + 24 + $1]) << (8 * $1) }
        for k in 0..<8 { bytes[index + k] = UInt8(truncatingIfNeeded: offset >> (8 * UInt64(k))) }
        return bytes
    }

    /// Every shard case is refused when opened or, if its index still parses, when an instance is read.
    @Test func malformedShards() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let valid = try Self.validShard(in: scratch)
        #expect(try ShardReader(path: try scratch.write("check.bkpt", valid).path).count == 8)
        for (name, mutate) in Self.shardCases {
            let url = try scratch.write("shard.bkpt", mutate(valid))
            try expectRefusal(PretrainingError.self, names: url.path, [], name) {
                let shard = try ShardReader(path: url.path)
                for k in 0..<shard.count { _ = try shard.instance(at: k) }
            }
        }
    }

    @Test(arguments: ["fifo", "directory", "missing"])
    func specialShardFilesAreRefused(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try Self.special(kind, named: "shard.bkpt", in: scratch)
        #expect(throws: PretrainingError.self) { try ShardReader(path: url.path) }
    }

    // MARK: raw text

    @Test(arguments: ["fifo", "missing"])
    func rawTextPathsThatAreNotFilesAreRefused(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try Self.special(kind, named: "corpus.txt", in: scratch)
        try expectRefusal(PretrainingError.self, names: url.path, [kind == "fifo" ? "FIFO" : "no such file"], kind) {
            _ = try CorpusFiles.expand([url.path])
        }
    }

    /// A FIFO inside a corpus directory is not a text file: skipped, so preparing never blocks on it.
    @Test func fifoInACorpusDirectoryIsSkipped() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("a.txt", "one sentence here.\n")
        try scratch.fifo("b.txt")
        #expect(try CorpusFiles.expand([scratch.url.path]).map { ($0.path as NSString).lastPathComponent } == ["a.txt"])
    }

    // MARK: fine-tuning TSV

    static let tsvCases: [(String, String, [String])] = [
        ("empty file", "", ["is empty"]),
        ("header only", "sentence\tlabel\n", ["no example"]),
        ("too many fields on line 3", "sentence\tlabel\ngood\t1\nbad\t0\textra\n", [":3", "3 tab-separated fields, the header has 2"]),
        ("too few fields on line 2", "sentence\tlabel\nno tab here\n", [":2", "1 tab-separated fields"]),
        ("empty sentence", "sentence\tlabel\n \t1\n", [":2", "empty sentence"]),
        ("empty label", "sentence\tlabel\ngood\t \n", [":2", "empty label"]),
        ("no text column", "a\tb\tlabel\nx\ty\t1\n", ["names no text column"]),
        ("CRLF with a short row", "sentence\tlabel\r\ngood\t1\r\nbad\r\n", [":3", "1 tab-separated fields"]),
    ]

    @Test(arguments: tsvCases)
    func malformedClassificationTSV(name: String, text: String, fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.tsv", text)
        let before = scratch.listing()
        try expectRefusal(FineTuningError.self, names: url.path, fragments, name) {
            let file = try ClassificationFile(url: url)
            _ = try LabelScheme(training: file.examples, file: url.path, config: BertConfig())
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    @Test func invalidUTF8TSVIsNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.tsv", Array("sentence\tlabel\n".utf8) + [0xC3, 0x28, 0x09, 0x31, 0x0A])
        try expectRefusal(FineTuningError.self, names: url.path, ["UTF-8"], "invalid UTF-8") {
            _ = try ClassificationFile(url: url)
        }
    }

    @Test func columnNamedByFlagMustExist() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.tsv", "sentence\tlabel\ngood\t1\n")
        try expectRefusal(FineTuningError.self, names: url.path, ["no column \"review\""], "text column") {
            _ = try ClassificationFile(url: url, textColumn: "review")
        }
    }

    @Test func labelOutsideTheModelsLabelsIsNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.tsv", "sentence\tlabel\ngood\tpositive\nbad\tsarcastic\n")
        var config = BertConfig()
        config.id2label = [0: "negative", 1: "positive"]
        config.label2id = ["negative": 0, "positive": 1]
        let file = try ClassificationFile(url: url)
        try expectRefusal(FineTuningError.self, names: url.path, [":3", "sarcastic"], "unknown label") {
            _ = try LabelScheme(training: file.examples, file: url.path, config: config)
        }
    }

    @Test(arguments: ["fifo", "directory", "missing"])
    func specialTSVFilesAreRefusedUnopened(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try Self.special(kind, named: "train.tsv", in: scratch)
        try expectRefusal(FineTuningError.self, names: url.path, [Self.reason(kind)], kind) {
            _ = try ClassificationFile(url: url)
        }
    }

    // MARK: helpers

    static func special(_ kind: String, named name: String, in scratch: Scratch) throws -> URL {
        switch kind {
        case "fifo": return try scratch.fifo(name)
        case "directory":
            let url = scratch.path(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            return url
        default: return scratch.path(name)
        }
    }

    static func reason(_ kind: String) -> String {
        switch kind {
        case "fifo": return "FIFO"
        case "directory": return "directory"
        default: return "no such file"
        }
    }
}
