import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// DistilBERT through the fine-tuning task and the CLI: `bert finetune classify` puts a new
/// pre_classifier/classifier on the tiny DistilBERT encoder of the parity fixtures, learns the
/// synthetic task of ``FineTuneClassifyTests``, writes an HF DistilBERT directory (model_type,
/// architectures, labels) that loads back strictly with the same logits, and `bert classify` /
/// `bert predict` run it. Question answering the same way: the library loop learns the QA fixture
/// questions on a tiny random DistilBERT, the written DistilBertForQuestionAnswering answers the same
/// after reloading, and `bert finetune qa` / `bert predict --task qa` agree. Tagging and multiple
/// choice through `bert finetune tag|choice` and `bert predict`: the DistilBERT head is new, the
/// task is learnt, the written directory is a DistilBERT one and predicts the run's metrics.
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

    /// A tiny random DistilBERT encoder (dim 32, 2 layers, 64 positions) with the QA fixture
    /// vocabulary, as an HF model directory.
    static func questionAnsweringEncoder(in dir: URL) throws -> URL {
        let vocab = QuestionAnsweringTests.directory.appendingPathComponent("vocab.txt")
        let count = try String(contentsOf: vocab, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let config = DistilBertConfig(vocabSize: count, dim: 32, nLayers: 2, nHeads: 4, hiddenDim: 48, maxPositionEmbeddings: 64)
        var g = RandomGenerator(seed: 11)
        let out = dir.appendingPathComponent("distil-qa")
        try DistilBertCheckpoint.save(DistilBertModel(config: config, generator: &g), config: config, architecture: "DistilBertModel", to: out)
        try FileManager.default.copyItem(at: vocab, to: out.appendingPathComponent("vocab.txt"))
        return out
    }

    @Test func questionAnsweringLearnsSavesAndRunsFromTheCLI() throws {
        let dir = try FineTuneClassifyTests.directory("qa-distil")
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoder = try Self.questionAnsweringEncoder(in: dir)
        let directory = try DistilBertModelDirectory(encoder)
        let loaded = try directory.load(DistilBertForQuestionAnswering.self, seed: 3)
        #expect(Set(loaded.newlyInitialized) == ["qa_outputs.weight", "qa_outputs.bias"])
        let file = try QuestionAnsweringTests.file("squad_v1.json")
        let task = try QuestionAnsweringTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), train: file, eval: file,
                                             settings: QuestionAnsweringTaskTests.settings, postprocess: .init(nBest: 20, maxAnswerLength: 30))
        task.tokenizerSource = directory.url
        #expect(loaded.model.distilbert.skipsPaddingPositions, "the task reads context tokens only and turns padding skipping on")
        #expect(task.trainCount == 70)  // the windows of squad_v1.json, as for BERT
        let before = try #require(try task.evaluate())
        let groups = ParameterGroup.excludingWeightDecay(loaded.model.namedParameters(), learningRate: 3e-3, weightDecay: 0.01)
        let trainer = FineTuningTrainer(model: loaded.model, optimizer: AdamW(groups), schedule: .linear(warmupSteps: 5, totalSteps: 120))
        var settings = FineTuningRunSettings(batchSize: 16, steps: 120)
        settings.keepBest = false
        let run = try FineTuningRun(task: task, trainer: trainer, settings: settings, output: dir.appendingPathComponent("run"),
                                    progress: ProgressLine(totalSteps: 120, inPlace: false, write: { _ in }))
        let after = try #require(try run.train())
        let losses = try MetricsLog.read(dir.appendingPathComponent("run/metrics.jsonl")).compactMap { $0["loss"] as? Double }
        #expect(losses.last! < 0.5 * losses.first!, "training loss \(losses.first!) → \(losses.last!)")
        #expect(after.score > before.score + 20, "F1 on the training questions \(before.score) → \(after.score)")

        // The written directory is an HF DistilBertForQuestionAnswering that answers the same.
        let model = dir.appendingPathComponent("run/model")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["model_type"] as? String == "distilbert")
        #expect(config["architectures"] as? [String] == ["DistilBertForQuestionAnswering"])
        let saved = try DistilBertModelDirectory(model)
        let reloaded = try saved.load(DistilBertForQuestionAnswering.self)
        #expect(reloaded.newlyInitialized.isEmpty && reloaded.unused.isEmpty)
        let again = try QuestionAnsweringTask(model: reloaded.model, tokenizer: try saved.loadTokenizer(), train: nil, eval: file,
                                              settings: QuestionAnsweringTaskTests.settings, postprocess: task.postprocess)
        #expect(try again.predict(file) == task.lastPredictions)

        // The CLI on the encoder: a new qa_outputs, predictions that `bert predict` reproduces.
        let v1 = QuestionAnsweringTests.directory.appendingPathComponent("squad_v1.json").path
        let output = dir.appendingPathComponent("cli")
        let qaFlags = ["--max-length", "48", "--doc-stride", "12", "--max-query-length", "16"]
        let r = try BertBinary.run(["finetune", "qa", "--model", encoder.path, "--train", v1, "--eval", v1, "--output", output.path,
                                    "--steps", "6", "--batch-size", "8", "--lr", "1e-3"] + qaFlags)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("DistilBertForQuestionAnswering") && r.stderr.contains("qa_outputs.weight"), "\(r.stderr)")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("predictions.json"))) as! [String: String]
        #expect(Set(written.keys) == Set(file.examples.map(\.id)))
        let answers = dir.appendingPathComponent("answers")
        let p = try BertBinary.run(["predict", "--task", "qa", "--model", output.appendingPathComponent("model").path, "--input", v1,
                                    "--output", answers.path] + qaFlags)
        #expect(p.status == 0, "\(p.stderr)")
        let predicted = try JSONSerialization.jsonObject(with: Data(contentsOf: answers.appendingPathComponent("predictions.json"))) as! [String: String]
        #expect(predicted == written)
    }

    @Test func tagAndChooseFromTheCLI() throws {
        let dir = try FineTuneClassifyTests.directory("distil-tag-choice")
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoder = try Self.encoderDirectory(in: dir)
        func config(_ model: URL) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("config.json"))) as! [String: Any]
        }
        func results(_ output: URL) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("eval_results.json"))) as! [String: Any]
        }

        // Tagging: w1 [w2] people, w3 [w4] and w5 places (FineTuneTagTests' synthetic NER).
        let train = try FineTuneClassifyTests.write(FineTuneTagTests.conll(256, seed: 5), dir.appendingPathComponent("train.conll"))
        let dev = try FineTuneClassifyTests.write(FineTuneTagTests.conll(64, seed: 6), dir.appendingPathComponent("dev.conll"))
        let tagged = dir.appendingPathComponent("tag")
        let t = try BertBinary.run(["finetune", "tag", "--model", encoder.path, "--train", train.path, "--eval", dev.path,
                                    "--output", tagged.path, "--steps", "256", "--batch-size", "16", "--lr", "3e-3",
                                    "--max-length", "24", "--warmup-ratio", "0.05", "--eval-every", "64"])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stderr.contains("DistilBertForTokenClassification") && t.stderr.contains("classifier.weight"), "\(t.stderr)")
        let f1 = try #require(try results(tagged)["eval_f1"] as? Double)
        #expect(f1 >= 0.9, "entity F1 \(f1)")
        let tagger = tagged.appendingPathComponent("model")
        let tagConfig = try config(tagger)
        #expect(tagConfig["model_type"] as? String == "distilbert")
        #expect(tagConfig["architectures"] as? [String] == ["DistilBertForTokenClassification"])
        #expect(tagConfig["id2label"] as? [String: String] == ["0": "B-LOC", "1": "B-PER", "2": "I-LOC", "3": "I-PER", "4": "O"])
        let p = try BertBinary.run(["predict", "--task", "tag", "--model", tagger.path, "--input", dev.path,
                                    "--output", dir.appendingPathComponent("tags.txt").path, "--max-length", "24"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any])?["f1"] as? Double == f1)

        // Multiple choice: the right ending holds w1 (FineTuneChoiceTests' synthetic SWAG).
        let swag = try FineTuneClassifyTests.write(FineTuneChoiceTests.swagCSV(256, seed: 5), dir.appendingPathComponent("train.csv"))
        let choices = try FineTuneClassifyTests.write(try FineTuneChoiceTests.genericJSONL(64, seed: 6), dir.appendingPathComponent("dev.jsonl"))
        let chosen = dir.appendingPathComponent("choice")
        let c = try BertBinary.run(["finetune", "choice", "--model", encoder.path, "--train", swag.path, "--eval", choices.path,
                                    "--output", chosen.path, "--steps", "96", "--batch-size", "16", "--lr", "3e-3",
                                    "--max-length", "24", "--warmup-ratio", "0.05", "--eval-every", "32"])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stderr.contains("DistilBertForMultipleChoice") && c.stderr.contains("pre_classifier.weight"), "\(c.stderr)")
        let accuracy = try #require(try results(chosen)["eval_accuracy"] as? Double)
        #expect(accuracy >= 0.9, "accuracy \(accuracy)")
        let chooser = chosen.appendingPathComponent("model")
        #expect(try config(chooser)["architectures"] as? [String] == ["DistilBertForMultipleChoice"])
        let q = try BertBinary.run(["predict", "--task", "choice", "--model", chooser.path, "--input", choices.path,
                                    "--output", dir.appendingPathComponent("choices.tsv").path, "--max-length", "24"])
        #expect(q.status == 0, "\(q.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(q.stdout.utf8)) as? [String: Any])?["accuracy"] as? Double == accuracy)
    }
}
