import BertKit
import Foundation
import TensorCore
import Testing

/// A vocabulary (specials + w0…w58), seeded random `[CLS] A [SEP] B [SEP]` instances with ~15 %
/// masked positions as google-research/bert jsonl, and a tiny config without dropout.
enum DistributedTestData {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + (0..<59).map { "w\($0)" }

    static func jsonl(count: Int, seed: UInt64) -> String {
        var rng = RandomGenerator(seed: seed)
        var lines: [String] = []
        for _ in 0..<count {
            let a = 2 + rng.nextInt(below: 8), b = 2 + rng.nextInt(below: 8)
            var tokens = ["[CLS]"] + (0..<a).map { _ in "w\(rng.nextInt(below: 59))" } + ["[SEP]"]
            let first = tokens.count
            tokens += (0..<b).map { _ in "w\(rng.nextInt(below: 59))" } + ["[SEP]"]
            var positions: [Int] = [], labels: [String] = []
            for k in tokens.indices where tokens[k].hasPrefix("w") && (rng.nextFloat() < 0.15 || positions.isEmpty && k == 1) {
                positions.append(k)
                labels.append(tokens[k])
                tokens[k] = "[MASK]"
            }
            let quoted = { (s: [String]) in s.map { "\"\($0)\"" }.joined(separator: ",") }
            lines.append("{\"tokens\":[\(quoted(tokens))],\"segment_ids\":[\(tokens.indices.map { $0 < first ? "0" : "1" }.joined(separator: ","))],"
                + "\"is_random_next\":\(rng.nextInt(below: 2) == 1),\"masked_lm_positions\":[\(positions.map(String.init).joined(separator: ","))],"
                + "\"masked_lm_labels\":[\(quoted(labels))]}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes vocab.txt, train.jsonl and config.json (dropout 0) into `directory`; returns the
    /// `bert pretrain` arguments common to every run (no batch size, steps or output).
    static func prepare(_ directory: URL) throws -> [String] {
        let file = { (name: String) in directory.appendingPathComponent(name) }
        try (vocabulary.joined(separator: "\n") + "\n").write(to: file("vocab.txt"), atomically: true, encoding: .utf8)
        try jsonl(count: 96, seed: 4).write(to: file("train.jsonl"), atomically: true, encoding: .utf8)
        let config = BertConfig(vocabSize: vocabulary.count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 2,
                                intermediateSize: 64, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0,
                                maxPositionEmbeddings: 32)
        try config.write(to: file("config.json"))
        return ["pretrain", "--vocab", file("vocab.txt").path, "--data", file("train.jsonl").path,
                "--eval-data", file("train.jsonl").path, "--eval-limit", "30", "--config", file("config.json").path,
                "--max-seq-length", "24", "--warmup-steps", "3", "--lr", "2e-3", "--log-every", "1"]
    }

    /// Train losses of a metrics.jsonl by step, and the eval records.
    static func losses(_ run: URL) throws -> [Int: Double] {
        var out: [Int: Double] = [:]
        for r in try MetricsLog.read(run.appendingPathComponent("metrics.jsonl")) where r["kind"] as? String == "train" {
            out[r["step"] as! Int] = r["loss"] as? Double
        }
        return out
    }

    static func evals(_ run: URL) throws -> [[String: Any]] {
        try MetricsLog.read(run.appendingPathComponent("metrics.jsonl")).filter { $0["kind"] as? String == "eval" }
    }

    /// A run of one process with batch 8 (in `directory/one`) and its `mpirun -np 2` twin with
    /// batch 4 per rank (`directory/two`): the same global batch.
    struct DoubledBatchRuns {
        var one: URL, two: URL
        /// The output of the two-rank run.
        var pair: MPITest.Run
        /// Train losses of the one-process run by step.
        var singleLosses: [Int: Double]
        /// Largest relative difference of the train losses over the 50 steps.
        var worstRelativeLoss: Double
    }

    /// Runs `bert common…` both ways (see ``DoubledBatchRuns``); both must succeed and log the
    /// 50 train steps from rank 0 alone.
    static func doubledBatchRuns(_ common: [String], in directory: URL,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws -> DoubledBatchRuns {
        let one = directory.appendingPathComponent("one"), two = directory.appendingPathComponent("two")
        let single = try MPITest.bert(common + ["--batch-size", "8", "--output", one.path])
        #expect(single.status == 0, "\(single.stderr)", sourceLocation: sourceLocation)
        let pair = try MPITest.mpi(2, "bert", common + ["--batch-size", "4", "--output", two.path])
        #expect(pair.status == 0, "\(pair.stderr)", sourceLocation: sourceLocation)
        let a = try losses(one), b = try losses(two)
        #expect(a.count == 50 && b.count == 50, "rank 0 alone writes one record per step", sourceLocation: sourceLocation)
        return DoubledBatchRuns(one: one, two: two, pair: pair, singleLosses: a, worstRelativeLoss: worstRelative(a, b, steps: 1...50))
    }

    /// Largest |a − b| / |a| over the steps both have.
    static func worstRelative(_ a: [Int: Double], _ b: [Int: Double], steps: ClosedRange<Int>) -> Double {
        steps.map { abs(a[$0]! - b[$0]!) / abs(a[$0]!) }.max()!
    }
}
