import Foundation
import Testing
import BertKit

/// `bert finetune tag` and `bert predict --task tag` on the tiny model: the run learns the
/// synthetic NER task of ``FineTuneTagTests`` (entity F1 rises), prediction reproduces the run's
/// metrics and writes token<TAB>tag lines, and bad input stops with a message naming file and
/// line before anything is written.
@Suite(.serialized) struct FineTuneTagCommandTests {
    static func run(_ arguments: [String]) throws -> BertBinary.Run { try BertBinary.run(arguments) }

    @Test func finetuneTagThenPredict() throws {
        let dir = try FineTuneClassifyTests.directory("tag-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try FineTuneClassifyTests.write(FineTuneTagTests.conll(256, seed: 5), dir.appendingPathComponent("train.conll"))
        let dev = try FineTuneClassifyTests.write(FineTuneTagTests.conll(64, seed: 6), dir.appendingPathComponent("dev.conll"))
        let output = dir.appendingPathComponent("out")
        let r = try Self.run(["finetune", "tag", "--model", FineTuneTagTests.model.path, "--train", train.path,
                              "--eval", dev.path, "--output", output.path, "--steps", "256", "--batch-size", "16",
                              "--lr", "3e-3", "--max-length", "24", "--warmup-ratio", "0.05", "--eval-every", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("newly initialized") && r.stderr.contains("model written to"))
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("eval_results.json"))) as! [String: Any]
        let f1 = try #require(results["eval_f1"] as? Double)
        #expect(f1 >= 0.9, "\(results)")
        // Entity F1 rises over the run (the first evaluation is after 8 steps).
        let evals = try MetricsLog.read(output.appendingPathComponent("metrics.jsonl")).filter { $0["kind"] as? String == "eval" }
        let curve = evals.compactMap { $0["eval_f1"] as? Double }
        #expect(curve.count == 32 && curve.first! + 0.3 < curve.max()!, "entity F1 by evaluation: \(curve)")
        let model = output.appendingPathComponent("model")
        let config = try BertConfig(contentsOf: model.appendingPathComponent("config.json"))
        #expect(config.id2label == [0: "B-LOC", 1: "B-PER", 2: "I-LOC", 3: "I-PER", 4: "O"])

        // bert predict --task tag: the same metrics, one line per word, a blank line between sentences.
        let predictions = dir.appendingPathComponent("pred.txt")
        let p = try Self.run(["predict", "--task", "tag", "--model", model.path, "--input", dev.path, "--output", predictions.path,
                              "--max-length", "24"])
        #expect(p.status == 0, "\(p.stderr)")
        let metrics = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
        #expect(metrics["f1"] as? Double == f1 && metrics["precision"] as? Double == results["eval_precision"] as? Double)
        let text = try String(contentsOf: predictions, encoding: .utf8)
        let sentences = text.components(separatedBy: "\n\n")
        let devFile = try CoNLLFile(url: dev)
        #expect(sentences.count == devFile.sentences.count)
        let first = sentences[0].split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(first.map { $0[0] } == devFile.sentences[0].words)
        #expect(first.allSatisfy { $0.count == 2 && config.label2id[$0[1]] != nil })
        // A words-only file: predictions written, no metrics.
        let words = try FineTuneClassifyTests.write("w1\nw2\nw30\n\nw6\nw5\n", dir.appendingPathComponent("words.txt"))
        let q = try Self.run(["predict", "--task", "tag", "--model", model.path, "--input", words.path, "--output", predictions.path])
        #expect(q.status == 0 && q.stdout.isEmpty, "\(q.stderr)")
        let tagged = try String(contentsOf: predictions, encoding: .utf8)
        #expect(tagged == "w1\tB-PER\nw2\tI-PER\nw30\tO\n\nw6\tO\nw5\tB-LOC\n", "\(tagged)")
    }

    @Test func badInputStopsWithFileAndLine() throws {
        let dir = try FineTuneClassifyTests.directory("tag-cli-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out")
        let common = ["finetune", "tag", "--model", FineTuneTagTests.model.path, "--output", output.path, "--steps", "2"]
        let bad = try FineTuneClassifyTests.write("w1 B-PER\nw2 I-PER\n\nw3 NN B-LOC\n", dir.appendingPathComponent("bad.conll"))
        var r = try Self.run(common + ["--train", bad.path])
        #expect(r.status == 64 && r.stderr.contains("\(bad.path):4: 3 columns, line 1 has 2"), "\(r.stderr)")
        // A dev tag the training data never had.
        let train = try FineTuneClassifyTests.write(FineTuneTagTests.conll(8, seed: 1), dir.appendingPathComponent("t.conll"))
        let dev = try FineTuneClassifyTests.write("w1 NN B-PER\nw9 NN B-ORG\n", dir.appendingPathComponent("d.conll"))
        r = try Self.run(common + ["--train", train.path, "--eval", dev.path])
        #expect(r.status == 64 && r.stderr.contains("\(dev.path):2: tag \"B-ORG\" is not in the labels"), "\(r.stderr)")
        r = try Self.run(common + ["--train", train.path, "--tag-column", "0"])
        #expect(r.status == 64 && r.stderr.contains("--tag-column"), "\(r.stderr)")
        r = try Self.run(common + ["--train", train.path, "--tag-column", "5"])
        #expect(r.status == 64 && r.stderr.contains("\(train.path):3: 3 columns, the tag is column 5"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
