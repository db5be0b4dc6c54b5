import Foundation
import Testing
import BertKit

/// The `bert pretraining-data` and `bert train-vocab` executables: jsonl equal to the reference
/// script's instances, shards readable by the library, the progress line, a vocabulary without
/// [MASK] refused before any output, and raw corpus → vocabulary → instances.
@Suite struct PretrainingCommandTests {
    static func run(_ arguments: [String]) throws -> BertBinary.Run { try BertBinary.run(arguments) }

    static func temporary(_ name: String) -> String { NSTemporaryDirectory() + "pd-\(UUID().uuidString)-" + name }

    static func flags(_ c: PretrainingFixtures.Case) -> [String] {
        let s = c.settings
        return ["--seed", "\(s.seed)", "--max-seq-length", "\(s.maxSeqLength)", "--max-predictions", "\(s.maxPredictions)",
                "--masked-lm-prob", "\(s.maskedLMProbability)", "--short-seq-prob", "\(s.shortSeqProbability)",
                "--dupe-factor", "\(s.dupeFactor)"] + (s.wholeWordMask ? ["--whole-word-mask"] : [])
    }

    @Test(arguments: ["sotu_wwm", "edge"])
    func jsonlEqualsTheReferenceScript(name: String) throws {
        let c = try PretrainingFixtures.cases().first { $0.name == name }!
        let output = Self.temporary("out.jsonl")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Self.run(["pretraining-data", "--vocab", PretrainingFixtures.url("vocab.txt").path, "--input"]
                                  + c.inputs.map { PretrainingFixtures.url($0).path }
                                  + ["--output", output, "--format", "jsonl", "--google-compatible"] + Self.flags(c))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("instances \(c.count)") && result.stderr.contains("MB/s"))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first.map { $0.hasPrefix("{\"tokens\":[") && $0.contains("],\"segment_ids\":[")
            && $0.contains("],\"is_random_next\":") && $0.contains(",\"masked_lm_positions\":[")
            && $0.contains("],\"masked_lm_labels\":[") } ?? false, "keys in the script's order")
        #expect(try lines.map(PretrainingFixtures.parse) == PretrainingFixtures.expected(c.expected))
    }

    @Test func shardsAreReadableAndEqualTheLibrary() throws {
        let c = try PretrainingFixtures.cases().first { $0.name == "sotu" }!
        let output = Self.temporary("shards")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Self.run(["pretraining-data", "--vocab", PretrainingFixtures.url("vocab.txt").path,
                                   "--input", PretrainingFixtures.url("sotu.txt").path, "--output", output,
                                   "--google-compatible"] + Self.flags(c))
        #expect(result.status == 0, "\(result.stderr)")
        let dataset = try PretrainingDataset(directory: output)
        let expected = try PretrainingFixtures.run(c)
        #expect(try dataset.instances(at: Array(0..<dataset.count)) == expected)
    }

    @Test func vocabularyWithoutMaskFailsBeforeWriting() throws {
        let vocab = Self.temporary("vocab.txt")
        let output = Self.temporary("never")
        defer { try? FileManager.default.removeItem(atPath: vocab) }
        let text = try String(contentsOf: PretrainingFixtures.url("vocab.txt"), encoding: .utf8)
        try text.replacingOccurrences(of: "[MASK]\n", with: "").write(toFile: vocab, atomically: true, encoding: .utf8)
        let result = try Self.run(["pretraining-data", "--vocab", vocab, "--input", PretrainingFixtures.url("sotu.txt").path,
                                   "--output", output])
        #expect(result.status != 0)
        #expect(result.stderr.contains("[MASK]") && result.stderr.contains(vocab))
        #expect(!FileManager.default.fileExists(atPath: output))
        let missing = try Self.run(["pretraining-data", "--vocab", PretrainingFixtures.url("vocab.txt").path,
                                    "--input", "/no/such/input", "--output", output])
        #expect(missing.status != 0 && missing.stderr.contains("/no/such/input"))
    }

    @Test func rawCorpusToVocabularyToInstances() throws {
        let vocab = Self.temporary("trained.txt")
        let output = Self.temporary("instances.jsonl")
        defer { for p in [vocab, output] { try? FileManager.default.removeItem(atPath: p) } }
        let inputs = ["sotu.txt", "edge.txt", "garbage.bin"].map { PretrainingFixtures.url($0).path }
        let trained = try Self.run(["train-vocab", "--input"] + inputs + ["--output", vocab, "--vocab-size", "600"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let tokens = try String(contentsOfFile: vocab, encoding: .utf8).split(separator: "\n")
        #expect(tokens.count == 600 && Array(tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        let made = try Self.run(["pretraining-data", "--vocab", vocab, "--input"] + inputs
                                + ["--output", output, "--format", "jsonl", "--split-sentences", "--whole-word-mask",
                                   "--dupe-factor", "2", "--max-seq-length", "64"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count > 50)
    }
}
