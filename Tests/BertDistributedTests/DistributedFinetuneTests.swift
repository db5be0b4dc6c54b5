import BertKit
import Foundation
import Testing
import TensorCore

/// `mpirun -np 2 bert finetune classify` against one process: with dropout 0 and the same global
/// batch the loss trajectory and the final evaluation agree, and rank 0 alone writes the run.
@Suite(.serialized, .enabled(if: MPITest.available, Comment(rawValue: MPITest.skipMessage)))
struct DistributedFinetuneTests {
    /// The tiny model of BertKitTests' fixtures with dropout 0 (config.json rewritten), and
    /// `label<TAB>sentence` rows: "good" rows hold w1, "bad" rows w2, among filler words.
    static func prepare(_ directory: URL) throws -> [String] {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BertKitTests/Fixtures/tiny_gelu")
        let model = directory.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for name in ["model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: model.appendingPathComponent(name))
        }
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.appendingPathComponent("config.json"))) as! [String: Any]
        config["hidden_dropout_prob"] = 0.0
        config["attention_probs_dropout_prob"] = 0.0
        try JSONSerialization.data(withJSONObject: config).write(to: model.appendingPathComponent("config.json"))
        let train = directory.appendingPathComponent("train.tsv"), dev = directory.appendingPathComponent("dev.tsv")
        try Self.tsv(128, seed: 5).write(to: train, atomically: true, encoding: .utf8)
        try Self.tsv(41, seed: 6).write(to: dev, atomically: true, encoding: .utf8)  // odd: blocks of 20 and 21 under 2 ranks
        return ["finetune", "classify", "--model", model.path, "--train", train.path, "--eval", dev.path, "--steps", "50",
                "--lr", "3e-3", "--max-length", "16", "--warmup-ratio", "0.1", "--eval-every", "25", "--log-every", "1"]
    }

    /// `label<TAB>sentence` rows: "good" rows hold w1, "bad" rows w2, among filler words.
    static func tsv(_ count: Int, seed: UInt64) -> String {
        var g = RandomGenerator(seed: seed)
        var lines = ["label\tsentence"]
        for k in 0..<count {
            var words = (0..<(3 + k % 5)).map { _ in "w\(10 + g.nextInt(below: 80))" }
            words.insert(k % 2 == 0 ? "w1" : "w2", at: g.nextInt(below: words.count + 1))
            lines.append("\(k % 2 == 0 ? "good" : "bad")\t\(words.joined(separator: " "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func twoRanksFollowOneProcessWithTheDoubledBatch() throws {
        let directory = try MPITest.temporaryDirectory("mpi-finetune")
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = try Self.prepare(directory)
        let runs = try DistributedTestData.doubledBatchRuns(common, in: directory)
        let (one, two, pair, worst) = (runs.one, runs.two, runs.pair, runs.worstRelativeLoss)
        print("finetune classify, 2 ranks × batch 4 vs 1 process × batch 8, dropout 0: largest relative loss difference over 50 steps \(worst)")
        #expect(worst <= 1e-5)
        // The same evaluations: accuracy, F1 and Matthews exactly, the loss within float summation order.
        let evalA = try DistributedTestData.evals(one), evalB = try DistributedTestData.evals(two)
        #expect(evalA.count == 2 && evalB.count == 2)
        for (x, y) in zip(evalA, evalB) {
            for name in ["eval_accuracy", "eval_f1", "eval_matthews"] { #expect(x[name] as? Double == y[name] as? Double, "\(name)") }
            let lossA = x["eval_loss"] as? Double ?? 0, lossB = y["eval_loss"] as? Double ?? 1
            #expect(abs(lossA - lossB) / lossA <= 1e-5)
        }
        // Rank 0 alone writes: the single-process layout (one TensorBoard event file, whose name
        // carries the time, host and process id), one final message.
        let layout = { (url: URL) in
            try FileManager.default.contentsOfDirectory(atPath: url.path)
                .map { $0.hasPrefix("events.out.tfevents.") ? "events.out.tfevents.*" : $0 }.sorted()
        }
        #expect(try layout(two) == layout(one))
        #expect(try layout(two).contains("eval_results.json") && layout(two).contains("model")
                && layout(two).filter { $0 == "events.out.tfevents.*" }.count == 1)
        #expect(pair.stderr.components(separatedBy: "model written to").count - 1 == 1, "\(pair.stderr)")
    }

    @Test func ranksWithDifferentFlagsAreRefusedAtStart() throws {
        let directory = try MPITest.temporaryDirectory("mpi-finetune-flags")
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = try Self.prepare(directory) + ["--batch-size", "4", "--output", directory.appendingPathComponent("run").path]
        let bert = MPITest.products.appendingPathComponent("bert").path
        let run = try MPITest.run(MPITest.mpirun!, ["--oversubscribe", "--allow-run-as-root", "-np", "1", bert] + common + ["--seed", "1", ":", "-np", "1", bert] + common + ["--seed", "2"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("rank 0 has --seed 1, rank 1 has --seed 2"), "\(run.stderr.suffix(800))")
        #expect(run.stderr.contains("stopping all processes"), "\(run.stderr.suffix(800))")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("run/metrics.jsonl").path))
    }
}
