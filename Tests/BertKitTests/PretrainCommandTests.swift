import Foundation
import Testing
import BertKit
import TensorCore

/// The `bert pretrain` executable: a run killed with SIGKILL mid-run (twice) and resumed writes
/// the same metrics.jsonl losses, bit for bit, as an uninterrupted run; and a vocabulary that
/// does not match the model is refused before anything is written.
@Suite(.serialized) struct PretrainCommandTests {
    static var binary: URL { EncodeCommandTests.binary }

    /// Writes the vocabulary and instances; returns the common arguments.
    static func prepare(_ directory: URL, steps: Int) throws -> [String] {
        let vocabulary = PretrainingTestData.vocabulary()
        try (vocabulary.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("vocab.txt"),
                                                              atomically: true, encoding: .utf8)
        let data = PretrainingTestData.jsonl(PretrainingTestData.examples(96, seed: 4), vocabulary: vocabulary)
        try data.write(to: directory.appendingPathComponent("train.jsonl"), atomically: true, encoding: .utf8)
        return ["pretrain", "--vocab", directory.appendingPathComponent("vocab.txt").path,
                "--data", directory.appendingPathComponent("train.jsonl").path,
                "--eval-data", directory.appendingPathComponent("train.jsonl").path, "--eval-limit", "16",
                "--layers", "2", "--hidden", "32", "--heads", "2", "--max-seq-length", "24", "--batch-size", "8",
                "--grad-accum", "2", "--steps", "\(steps)", "--warmup-steps", "3", "--lr", "2e-3",
                "--log-every", "1", "--save-every", "4", "--eval-every", "10", "--keep-checkpoints", "2"]
    }

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func lines(_ url: URL) -> Int {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func killedRunResumesBitForBit() throws {
        let directory = try PretrainingTestData.temporaryDirectory("pretrain-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.killResumeAndCompare(try Self.prepare(directory, steps: 60), in: directory, steps: 60, killAt: [14, 37])
    }

    /// Statically masked shards (several files) instead of the .jsonl: same bit-exact resume.
    @Test func killedRunOnShardsResumesBitForBit() throws {
        let directory = try PretrainingTestData.temporaryDirectory("pretrain-kill-shards")
        defer { try? FileManager.default.removeItem(at: directory) }
        var common = try Self.prepare(directory, steps: 30)
        let shards = directory.appendingPathComponent("shards")
        try PretrainingSourceTestData.writeShards(
            PretrainingSourceTestData.instances(PretrainingTestData.examples(96, seed: 4)), to: shards,
            vocabulary: PretrainingTestData.vocabulary())
        common[common.firstIndex(of: "--data")! + 1] = shards.path
        common[common.firstIndex(of: "--eval-data")! + 1] = shards.path
        try Self.killResumeAndCompare(common, in: directory, steps: 30, killAt: [13])
    }

    /// A directory of raw text, prepared at the start and masked dynamically: the masker's
    /// stream travels in the checkpoint, so the resumed run draws the same masks.
    @Test func killedRunOnRawTextWithDynamicMasksResumesBitForBit() throws {
        let directory = try PretrainingTestData.temporaryDirectory("pretrain-kill-text")
        defer { try? FileManager.default.removeItem(at: directory) }
        var common = try Self.prepare(directory, steps: 30)
        let corpus = directory.appendingPathComponent("corpus"), heldOut = directory.appendingPathComponent("heldout.txt")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try PretrainingSourceTestData.text(documents: 40).write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try PretrainingSourceTestData.text(documents: 6, seed: 77).write(to: heldOut, atomically: true, encoding: .utf8)
        common[common.firstIndex(of: "--data")! + 1] = corpus.path
        common[common.firstIndex(of: "--eval-data")! + 1] = heldOut.path
        try Self.killResumeAndCompare(common + ["--whole-word-mask"], in: directory, steps: 30, killAt: [13])
    }

    /// Runs `common` to the end in `straight`; in `killed`, kills it with SIGKILL when
    /// metrics.jsonl has each of `killAt` lines, resumes, and finishes; the losses must agree bit
    /// for bit and the final weights byte for byte.
    static func killResumeAndCompare(_ common: [String], in directory: URL, steps: Int, killAt: [Int]) throws {
        let straight = directory.appendingPathComponent("straight"), killed = directory.appendingPathComponent("killed")
        let reference = try Self.start(common + ["--output", straight.path])
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)
        let metrics = killed.appendingPathComponent("metrics.jsonl")
        for (round, threshold) in killAt.enumerated() {
            let process = try Self.start(common + ["--output", killed.path] + (round > 0 ? ["--resume"] : []))
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning && Self.lines(metrics) < threshold && Date() < deadline { usleep(2_000) }
            #expect(process.isRunning, "the run ended before it could be killed (threshold \(threshold))")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
        }
        let last = try Self.start(common + ["--output", killed.path, "--resume"])
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        let a = try PretrainingTestData.trainLosses(straight.appendingPathComponent("metrics.jsonl"))
        let b = try PretrainingTestData.trainLosses(metrics)
        #expect(a.count == steps && b.count == steps)
        let differing = (1...steps).filter { a[$0] != b[$0] }
        #expect(differing.isEmpty, "losses differ at steps \(differing)")
        let records = try MetricsLog.read(metrics)
        #expect(records.map { $0["step"] as! Int } == (try MetricsLog.read(straight.appendingPathComponent("metrics.jsonl"))).map { $0["step"] as! Int },
                "the resumed metrics.jsonl has missing or repeated records")
        #expect(try Data(contentsOf: straight.appendingPathComponent("model/model.safetensors"))
                == Data(contentsOf: killed.appendingPathComponent("model/model.safetensors")))
    }

    @Test func vocabularyThatDoesNotMatchTheModelIsRefused() throws {
        let directory = try PretrainingTestData.temporaryDirectory("pretrain-vocab")
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = try Self.prepare(directory, steps: 2)
        let config = PretrainingTestData.config(vocabularySize: 80)
        try config.write(to: directory.appendingPathComponent("config.json"))
        arguments += ["--config", directory.appendingPathComponent("config.json").path,
                      "--output", directory.appendingPathComponent("out").path]
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("vocab_size is 80"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }

    @Test func evalPretrainMatchesTheRunsEvaluationAndRefusesAnotherVocabulary() throws {
        let directory = try PretrainingTestData.temporaryDirectory("eval-pretrain")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("run")
        let training = try Self.start(try Self.prepare(directory, steps: 3) + ["--output", output.path, "--eval-limit", "96"])
        training.waitUntilExit()
        #expect(training.terminationStatus == 0)
        let last = try MetricsLog.read(output.appendingPathComponent("metrics.jsonl")).last { $0["kind"] as? String == "eval" }!
        func evalPretrain(_ extra: [String]) throws -> (Int32, String, String) {
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = ["eval-pretrain", "--model", output.appendingPathComponent("model").path,
                                 "--data", directory.appendingPathComponent("train.jsonl").path] + extra
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        let (status, stdout, _) = try evalPretrain([])
        #expect(status == 0)
        let figures = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as! [String: Any]
        // Same model, same instances: the batches are padded differently (32 vs 24 tokens), so
        // agreement is to float rounding, not bits.
        let perplexity = figures["perplexity"] as! Double, expected = last["eval_perplexity"] as! Double
        #expect(abs(perplexity - expected) < 1e-4 * expected, "\(perplexity) vs \(expected)")
        #expect(figures["mlm_accuracy"] as! Double == last["eval_mlm_accuracy"] as! Double)
        var other = PretrainingTestData.vocabulary()
        other.swapAt(10, 11)
        let otherURL = directory.appendingPathComponent("other-vocab.txt")
        try (other.joined(separator: "\n") + "\n").write(to: otherURL, atomically: true, encoding: .utf8)
        let (badStatus, badOut, message) = try evalPretrain(["--vocab", otherURL.path])
        #expect(badStatus != 0 && badOut.isEmpty)
        #expect(message.contains("line 11"), "\(message)")
        // Shards record their vocabulary: prepared with another one, they are refused.
        let shards = directory.appendingPathComponent("other-shards")
        try PretrainingSourceTestData.writeShards(PretrainingSourceTestData.instances(PretrainingTestData.examples(8)),
                                                  to: shards, vocabulary: other)
        let (shardStatus, shardOut, shardMessage) = try evalPretrain(["--data", shards.path])
        #expect(shardStatus != 0 && shardOut.isEmpty)
        #expect(shardMessage.contains("vocabulary mismatch") && shardMessage.contains("checksum"), "\(shardMessage)")
        var pretrain = try Self.prepare(directory, steps: 2)
        pretrain[pretrain.firstIndex(of: "--data")! + 1] = shards.path
        let refused = try Self.start(pretrain + ["--output", directory.appendingPathComponent("refused").path])
        refused.waitUntilExit()
        #expect(refused.terminationStatus != 0)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("refused").path))
    }
}
