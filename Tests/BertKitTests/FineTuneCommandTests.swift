import Foundation
import Testing
import BertKit
import TensorCore

/// `bert finetune classify`, `bert predict` and `bert classify` on the tiny model: the run learns
/// the synthetic task of ``FineTuneClassifyTests``, predictions agree between the two commands,
/// and bad input stops with a message naming the file (and line) before anything is written.
@Suite(.serialized) struct FineTuneCommandTests {
    static func run(_ arguments: [String]) throws -> BertBinary.Run { try BertBinary.run(arguments) }

    @Test func finetunePredictClassify() throws {
        let dir = try FineTuneClassifyTests.directory("ft-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try FineTuneClassifyTests.write(FineTuneClassifyTests.tsv(256, seed: 5), dir.appendingPathComponent("train.tsv"))
        let dev = try FineTuneClassifyTests.write(FineTuneClassifyTests.tsv(64, seed: 6), dir.appendingPathComponent("dev.tsv"))
        let output = dir.appendingPathComponent("out")
        let r = try Self.run(["finetune", "classify", "--model", FineTuneClassifyTests.model.path, "--train", train.path,
                              "--eval", dev.path, "--output", output.path, "--steps", "96", "--batch-size", "16",
                              "--lr", "3e-3", "--max-length", "16", "--warmup-ratio", "0.05", "--eval-every", "32"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("newly initialized") && r.stderr.contains("model written to"))
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("eval_results.json"))) as! [String: Any]
        let accuracy = try #require(results["eval_accuracy"] as? Double)
        #expect(accuracy >= 0.95)
        // TensorBoard holds the metrics.jsonl figures: train/* at every logged step, eval/* at every evaluation.
        let events = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix("events.out.tfevents.") }
        #expect(events.count == 1)
        let scalars = try TensorBoardWriterTests.read(output.appendingPathComponent(events.first ?? "none")).scalars
        var expected: [String: Float] = [:]
        for line in try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n") {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let step = record["step"] as! Int
            if record["kind"] as? String == "train" {
                for key in ["loss", "lr", "grad_norm", "examples_per_s"] {
                    expected["train/\(key)@\(step)"] = Float((record[key] as! NSNumber).doubleValue)
                }
            } else {
                for (key, value) in record where key.hasPrefix("eval_") {
                    expected["eval/\(key.dropFirst(5))@\(step)"] = Float((value as! NSNumber).doubleValue)
                }
            }
        }
        #expect(expected.keys.contains("eval/accuracy@96") && expected.keys.contains("train/loss@10"))
        #expect(Dictionary(scalars.map { ("\($0.0)@\($0.1)", $0.2) }, uniquingKeysWith: { a, _ in a }) == expected)
        #expect(scalars.count == expected.count)
        let model = output.appendingPathComponent("model").path
        #expect(FileManager.default.fileExists(atPath: model + "/vocab.txt"))
        let predictions = dir.appendingPathComponent("pred.tsv")
        let p = try Self.run(["predict", "--model", model, "--input", dev.path, "--output", predictions.path, "--max-length", "16"])
        #expect(p.status == 0, "\(p.stderr)")
        let metrics = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
        #expect(metrics["accuracy"] as? Double == accuracy)
        let rows = try String(contentsOf: predictions, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 65 && rows[0] == "index\tprediction\tscore")
        let c = try Self.run(["classify", "--model", model, "w30 w1 w40", "w2 w55"])
        #expect(c.status == 0, "\(c.stderr)")
        let lines = c.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.map { $0["label"] as? String } == ["good", "bad"])
        let scores = lines[0]["scores"] as! [Double]
        #expect(abs(scores.reduce(0, +) - 1) < 1e-9 && scores[1] == lines[0]["score"] as? Double)
    }

    /// The journey of the seeds: `bert pretrain` writes a model directory, and `bert finetune
    /// classify` starts from it — encoder and pooler loaded, the `cls.*` pretraining heads unused,
    /// the classifier new.
    @Test func finetuneStartsFromOurPretrainingOutput() throws {
        let dir = try FineTuneClassifyTests.directory("ft-from-pretrain")
        defer { try? FileManager.default.removeItem(at: dir) }
        var g = RandomGenerator(seed: 2)
        var corpus = ""
        for _ in 0..<40 {
            for _ in 0..<5 { corpus += (0..<(4 + g.nextInt(below: 8))).map { _ in "w\(1 + g.nextInt(below: 89))" }.joined(separator: " ") + " .\n" }
            corpus += "\n"
        }
        let text = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: text, withIntermediateDirectories: true)
        _ = try FineTuneClassifyTests.write(corpus, text.appendingPathComponent("corpus.txt"))
        let pretrained = dir.appendingPathComponent("pretrain")
        let p = try Self.run(["pretrain", "--layers", "2", "--hidden", "32", "--heads", "2", "--intermediate", "64",
                              "--vocab", FineTuneClassifyTests.model.appendingPathComponent("vocab.txt").path, "--data", text.path,
                              "--max-seq-length", "32", "--batch-size", "8", "--steps", "10", "--output", pretrained.path])
        #expect(p.status == 0, "\(p.stderr)")
        let train = try FineTuneClassifyTests.write(FineTuneClassifyTests.tsv(128, seed: 5), dir.appendingPathComponent("train.tsv"))
        let output = dir.appendingPathComponent("out")
        let r = try Self.run(["finetune", "classify", "--model", pretrained.appendingPathComponent("model").path,
                              "--train", train.path, "--output", output.path, "--steps", "8", "--batch-size", "16", "--max-length", "32"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("were not used when initializing BertForSequenceClassification") && r.stderr.contains("cls.predictions"))
        #expect(r.stderr.contains("newly initialized: [\"classifier.weight\", \"classifier.bias\"]"), "\(r.stderr)")
        let loaded = try BertModelDirectory(output.appendingPathComponent("model")).load(BertForSequenceClassification.self)
        #expect(loaded.newlyInitialized.isEmpty && loaded.unused.isEmpty)
    }

    @Test func badInputStopsWithFileAndLine() throws {
        let dir = try FineTuneClassifyTests.directory("ft-cli-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try FineTuneClassifyTests.write("label\tsentence\ngood\tw1\nbad\tw2\textra\n", dir.appendingPathComponent("bad.tsv"))
        let output = dir.appendingPathComponent("out")
        let common = ["finetune", "classify", "--output", output.path, "--steps", "2"]
        var r = try Self.run(common + ["--model", FineTuneClassifyTests.model.path, "--train", bad.path])
        #expect(r.status == 64 && r.stderr.contains("\(bad.path):3: 3 tab-separated fields, the header has 2"), "\(r.stderr)")
        // A dev label the training data never had.
        let train = try FineTuneClassifyTests.write(FineTuneClassifyTests.tsv(8, seed: 1), dir.appendingPathComponent("t.tsv"))
        let dev = try FineTuneClassifyTests.write("label\tsentence\ngood\tw1\nmeh\tw3\n", dir.appendingPathComponent("d.tsv"))
        r = try Self.run(common + ["--model", FineTuneClassifyTests.model.path, "--train", train.path, "--eval", dev.path])
        #expect(r.status == 64 && r.stderr.contains("\(dev.path):3: label \"meh\" is not in label2id"), "\(r.stderr)")
        // A model directory whose vocabulary is not the model's.
        let model = dir.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: FineTuneClassifyTests.model.appendingPathComponent(name), to: model.appendingPathComponent(name))
        }
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nw1\nw2\n".utf8).write(to: model.appendingPathComponent("vocab.txt"))
        r = try Self.run(common + ["--model", model.path, "--train", train.path])
        #expect(r.status == 64 && r.stderr.contains("vocab.txt has 6 tokens, config.json says vocab_size 99"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
