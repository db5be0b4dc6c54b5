import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// DistilBERT through the fine-tuning task and the CLI: `bert finetune classify` puts a new
/// pre_classifier/classifier on the tiny DistilBERT encoder of the parity fixtures, learns the
/// synthetic task of ``FineTuneClassifyTests``, writes an HF DistilBERT directory (model_type,
/// architectures, labels) that loads back strictly with the same logits, and `bert classify` /
/// `bert predict` run it.
@Suite(.serialized) struct FineTuneDistilBertTests {
    /// A model directory: the tiny DistilBertModel weights (no head), its config, the tiny vocabulary.
    static func encoderDirectory(in dir: URL) throws -> URL {
        let model = dir.appendingPathComponent("distil-encoder")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        let fixtures = fixturesURL("distilbert/tiny")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("config.json"), to: model.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("DistilBertModel.safetensors"),
                                         to: model.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(at: FineTuneClassifyTests.model.appendingPathComponent("vocab.txt"),
                                         to: model.appendingPathComponent("vocab.txt"))
        return model
    }

    @Test func finetuneClassifyPredictOnDistilBert() throws {
        let dir = try FineTuneClassifyTests.directory("ft-distil")
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoder = try Self.encoderDirectory(in: dir)
        let train = try FineTuneClassifyTests.write(FineTuneClassifyTests.tsv(256, seed: 5), dir.appendingPathComponent("train.tsv"))
        let dev = try FineTuneClassifyTests.write(FineTuneClassifyTests.tsv(64, seed: 6), dir.appendingPathComponent("dev.tsv"))
        let output = dir.appendingPathComponent("out")
        let r = try FineTuneCommandTests.run(["finetune", "classify", "--model", encoder.path, "--train", train.path,
                                              "--eval", dev.path, "--output", output.path, "--steps", "96", "--batch-size", "16",
                                              "--lr", "3e-3", "--max-length", "16", "--warmup-ratio", "0.05", "--eval-every", "32"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("DistilBertForSequenceClassification") && r.stderr.contains("newly initialized"), "\(r.stderr)")
        #expect(r.stderr.contains("pre_classifier.weight") && r.stderr.contains("classifier.bias"))
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("eval_results.json"))) as! [String: Any]
        let accuracy = try #require(results["eval_accuracy"] as? Double)
        #expect(accuracy >= 0.95)

        // The written directory is an HF DistilBERT classifier with the data's labels.
        let model = output.appendingPathComponent("model")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["model_type"] as? String == "distilbert")
        #expect(config["architectures"] as? [String] == ["DistilBertForSequenceClassification"])
        #expect(config["id2label"] as? [String: String] == ["0": "bad", "1": "good"])
        #expect(config["label2id"] as? [String: Int] == ["bad": 0, "good": 1])
        #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent("vocab.txt").path))

        // It loads back with nothing missing or unused, and its logits are those `bert classify` prints.
        let directory = try DistilBertModelDirectory(model)
        let loaded = try directory.load(DistilBertForSequenceClassification.self)
        #expect(loaded.newlyInitialized.isEmpty && loaded.unused.isEmpty && loaded.warning == nil)
        let texts = ["w30 w1 w40", "w2 w55"]
        let encodings = try directory.loadTokenizer().encodeBatch(texts)
        let logits = try withNoGrad { try loaded.model.classify(encodings, padId: 0, labels: nil).logits }  // [2, 2]
        let c = try FineTuneCommandTests.run(["classify", "--model", model.path] + texts)
        #expect(c.status == 0, "\(c.stderr)")
        let lines = c.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.map { $0["label"] as? String } == ["good", "bad"])
        let printed = lines.flatMap { ($0["logits"] as! [Double]).map(Float.init) }
        // (bert classify skips padding positions, the library call here does not: equal to rounding.)
        #expect(printed.count == 4 && zip(printed, logits.toArray()).allSatisfy { abs($0 - $1) <= 1e-5 },
                "bert classify printed \(printed), the library computes \(logits.toArray())")

        let predictions = dir.appendingPathComponent("pred.tsv")
        let p = try FineTuneCommandTests.run(["predict", "--model", model.path, "--input", dev.path, "--output", predictions.path,
                                              "--max-length", "16"])
        #expect(p.status == 0, "\(p.stderr)")
        let metrics = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
        #expect(metrics["accuracy"] as? Double == accuracy)
    }

    /// Batched encodings of different lengths are padded with `padId` under a zero attention mask:
    /// each row's logits equal those of the encoding run alone (to float rounding).
    @Test func paddedBatchMatchesSingleRows() throws {
        var rng = RandomGenerator(seed: 3)
        let config = try DistilBertConfig(contentsOf: fixturesURL("distilbert/tiny/config.json"))
        let model = DistilBertForSequenceClassification(config: config, generator: &rng)
        model.eval()
        let tokenizer = try BertTokenizer(vocabularyFile: FineTuneClassifyTests.model.appendingPathComponent("vocab.txt"))
        let encodings = [try tokenizer.encode("w1 w2 w3 w4 w5 w6"), try tokenizer.encode("w7", pair: "w8 w9")]
        let batch = try withNoGrad { try model.classify(encodings, padId: 0, labels: nil).logits }  // [2, 3]
        #expect(batch.shape == [2, 3])
        let values = batch.toArray()
        for (k, e) in encodings.enumerated() {
            let alone = try withNoGrad { try model.classify([e], padId: 0, labels: nil).logits.toArray() }  // [1, 3]
            for j in 0..<3 { #expect(abs(alone[j] - values[k * 3 + j]) <= 1e-5, "row \(k): \(alone) alone, \(values) batched") }
        }
    }
}
