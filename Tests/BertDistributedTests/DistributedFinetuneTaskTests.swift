import BertKit
import Foundation
import TensorCore
import Testing

/// `mpirun -np 2 bert finetune qa | tag | choice` (and classify on DistilBERT) against one process, as
/// ``DistributedFinetuneTests`` does for classify: with dropout 0 and the same global batch
/// (2 ranks × 4 vs 1 × 8) the 50 training losses agree (tagging: once micro-batches are weighted by
/// their labelled tokens, not their sentences), every evaluation metric is equal (the
/// sharded evaluation gathers each rank's block of outputs), and rank 0 alone writes.
@Suite(.serialized, .enabled(if: MPITest.available, Comment(rawValue: MPITest.skipMessage)))
struct DistributedFinetuneTaskTests {
    static let bertKitFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BertKitTests/Fixtures")

    /// A random tiny BERT without dropout over `vocabulary`, as an HF model directory.
    static func model(in directory: URL, vocabulary: URL, positions: Int) throws -> URL {
        let count = try String(contentsOf: vocabulary, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let config = BertConfig(vocabSize: count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 48,
                                hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, maxPositionEmbeddings: positions)
        var g = RandomGenerator(seed: 11)
        let out = directory.appendingPathComponent("model")
        try BertCheckpoint.save(BertModel(config: config, generator: &g), config: config, architecture: "BertModel", to: out)
        try FileManager.default.copyItem(at: vocabulary, to: out.appendingPathComponent("vocab.txt"))
        return out
    }

    /// Runs both ways and checks the losses, the evaluations and who wrote what.
    static func expectRanksFollowOneProcess(_ common: [String], in directory: URL, task: String,
                                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let runs = try DistributedTestData.doubledBatchRuns(common, in: directory, sourceLocation: sourceLocation)
        print("finetune \(task), 2 ranks × batch 4 vs 1 process × batch 8, dropout 0: largest relative loss difference over 50 steps \(runs.worstRelativeLoss)")
        // The same arithmetic up to summation order at first; later, training amplifies rounding
        // (multiple choice: 1e-7 at step 12 grows to 2.4e-5 at step 18 as its loss falls fast).
        let twoLosses = try DistributedTestData.losses(runs.two)
        let early = DistributedTestData.worstRelative(runs.singleLosses, twoLosses, steps: 1...10)
        #expect(early <= 1e-6, "steps 1–10: \(early)", sourceLocation: sourceLocation)
        #expect(runs.worstRelativeLoss <= 1e-4, sourceLocation: sourceLocation)
        let a = try DistributedTestData.evals(runs.one), b = try DistributedTestData.evals(runs.two)
        #expect(a.count == 2 && b.count == 2, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            let names = x.keys.filter { $0.hasPrefix("eval_") && $0 != "eval_loss" }
            #expect(names.count >= 1 && Set(names) == Set(y.keys.filter { $0.hasPrefix("eval_") && $0 != "eval_loss" }), sourceLocation: sourceLocation)
            for name in names { #expect(x[name] as? Double == y[name] as? Double, "\(task) \(name)", sourceLocation: sourceLocation) }
            if let lossA = x["eval_loss"] as? Double, let lossB = y["eval_loss"] as? Double {
                #expect(abs(lossA - lossB) <= 1e-5 * abs(lossA), sourceLocation: sourceLocation)
            }
        }
        let names = { (url: URL) in
            try FileManager.default.contentsOfDirectory(atPath: url.path)
                .map { $0.hasPrefix("events.out.tfevents.") ? "events.out.tfevents.*" : $0 }.sorted()
        }
        #expect(try names(runs.two) == names(runs.one), sourceLocation: sourceLocation)
        #expect(runs.pair.stderr.components(separatedBy: "model written to").count - 1 == 1, "\(runs.pair.stderr)",
                sourceLocation: sourceLocation)
        // The load warning (a new head) once per job, not once per process.
        #expect(runs.pair.stderr.components(separatedBy: "newly initialized").count - 1 == 1, "\(runs.pair.stderr)",
                sourceLocation: sourceLocation)
    }

    static let schedule = ["--steps", "50", "--lr", "3e-3", "--warmup-ratio", "0.1", "--eval-every", "25", "--log-every", "1"]

    @Test func questionAnswering() throws {
        let directory = try MPITest.temporaryDirectory("mpi-qa")
        defer { try? FileManager.default.removeItem(at: directory) }
        let qa = Self.bertKitFixtures.appendingPathComponent("qa")
        let model = try Self.model(in: directory, vocabulary: qa.appendingPathComponent("vocab.txt"), positions: 64)
        let squad = qa.appendingPathComponent("squad_v1.json").path  // 15 questions, 70 windows
        let common = ["finetune", "qa", "--model", model.path, "--train", squad, "--eval", squad, "--max-length", "48",
                      "--doc-stride", "12", "--max-query-length", "16"] + Self.schedule
        try Self.expectRanksFollowOneProcess(common, in: directory, task: "qa")
        // The answers written after the run come from the same model.
        let answers = { (run: String) in
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(run)/predictions.json"))) as! [String: String]
        }
        #expect(try answers("two") == answers("one"))
    }

    @Test func tagging() throws {
        let directory = try MPITest.temporaryDirectory("mpi-tag")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Self.model(in: directory, vocabulary: Self.bertKitFixtures.appendingPathComponent("tiny_gelu/vocab.txt"), positions: 32)
        // Sentences of filler words (O) with w1 [w2] people (B-PER I-PER) and w3 places (B-LOC).
        func conll(_ count: Int, seed: UInt64) -> String {
            var g = RandomGenerator(seed: seed)
            var lines = ["-DOCSTART- -X- -X- O", ""]
            for _ in 0..<count {
                for _ in 0..<(3 + g.nextInt(below: 6)) {
                    switch g.nextInt(below: 6) {
                    case 0: lines += ["w1 B-PER"] + (g.nextInt(below: 2) == 0 ? ["w2 I-PER"] : [])
                    case 1: lines.append("w3 B-LOC")
                    default: lines.append("w\(10 + g.nextInt(below: 80)) O")
                    }
                }
                lines.append("")
            }
            return lines.joined(separator: "\n")
        }
        let train = directory.appendingPathComponent("train.conll"), dev = directory.appendingPathComponent("dev.conll")
        try conll(96, seed: 5).write(to: train, atomically: true, encoding: .utf8)
        try conll(37, seed: 6).write(to: dev, atomically: true, encoding: .utf8)  // odd: blocks of 18 and 19 under 2 ranks
        let common = ["finetune", "tag", "--model", model.path, "--train", train.path, "--eval", dev.path, "--max-length", "24"] + Self.schedule
        try Self.expectRanksFollowOneProcess(common, in: directory, task: "tag")
    }

    @Test func multipleChoice() throws {
        let directory = try MPITest.temporaryDirectory("mpi-choice")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Self.model(in: directory, vocabulary: Self.bertKitFixtures.appendingPathComponent("tiny_gelu/vocab.txt"), positions: 32)
        // Four endings per context; the right one holds w1.
        func jsonl(_ count: Int, seed: UInt64) throws -> String {
            var g = RandomGenerator(seed: seed)
            func words(_ n: Int) -> String { (0..<n).map { _ in "w\(10 + g.nextInt(below: 80))" }.joined(separator: " ") }
            return try (0..<count).map { _ in
                let label = g.nextInt(below: 4)
                let endings = (0..<4).map { i in (i == label ? "w1 " : "") + words(2 + g.nextInt(below: 3)) }
                let object: [String: Any] = ["context": words(3 + g.nextInt(below: 4)), "endings": endings, "label": label]
                return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            }.joined(separator: "\n") + "\n"
        }
        let train = directory.appendingPathComponent("train.jsonl"), dev = directory.appendingPathComponent("dev.jsonl")
        try jsonl(96, seed: 5).write(to: train, atomically: true, encoding: .utf8)
        try jsonl(37, seed: 6).write(to: dev, atomically: true, encoding: .utf8)
        let common = ["finetune", "choice", "--model", model.path, "--train", train.path, "--eval", dev.path, "--max-length", "24"] + Self.schedule
        try Self.expectRanksFollowOneProcess(common, in: directory, task: "choice")
    }

    /// DistilBERT (the tiny encoder of the DistilBERT parity fixtures, dropout 0 there) under
    /// `bert finetune classify`: the same agreement.
    @Test func distilBertClassification() throws {
        let directory = try MPITest.temporaryDirectory("mpi-distil")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = Self.bertKitFixtures.appendingPathComponent("distilbert/tiny")
        let model = directory.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("config.json"), to: model.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("DistilBertModel.safetensors"),
                                         to: model.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(at: Self.bertKitFixtures.appendingPathComponent("tiny_gelu/vocab.txt"),
                                         to: model.appendingPathComponent("vocab.txt"))
        let train = directory.appendingPathComponent("train.tsv"), dev = directory.appendingPathComponent("dev.tsv")
        try DistributedFinetuneTests.tsv(128, seed: 5).write(to: train, atomically: true, encoding: .utf8)
        try DistributedFinetuneTests.tsv(41, seed: 6).write(to: dev, atomically: true, encoding: .utf8)
        let common = ["finetune", "classify", "--model", model.path, "--train", train.path, "--eval", dev.path, "--max-length", "16"]
            + Self.schedule
        try Self.expectRanksFollowOneProcess(common, in: directory, task: "classify (DistilBERT)")
    }
}
