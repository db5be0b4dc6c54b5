import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Multiple choice (SWAG) against HF's run_swag.py (Scripts/make_choice_fixtures.py,
/// Fixtures/choice): the CSV and both JSONL shapes read alike, the encodings and the collated
/// [B, N, T] batch equal transformers', and a small random BertForMultipleChoice gives the same
/// logits, loss (1e-5) and gradient of every parameter (1e-4 relative); then a learnable synthetic
/// task on the tiny model of Fixtures/tiny_gelu is learnt by the library loop and saved.
@Suite(.serialized) struct FineTuneChoiceTests {
    static let fixtures = fixturesURL("choice")

    static var reference: [String: Any] {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("reference.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The fixture model, its tokenizer and a task over swag.csv as training and evaluation data.
    static func fixtureTask() throws -> (MultipleChoiceTask, BertForMultipleChoice) {
        let directory = try BertModelDirectory(fixtures.appendingPathComponent("model"))
        let loaded = try directory.load(BertForMultipleChoice.self)
        #expect(loaded.newlyInitialized.isEmpty && loaded.unused.isEmpty, "\(loaded.report)")
        let file = try MultipleChoiceFile(url: fixtures.appendingPathComponent("swag.csv"))
        let task = try MultipleChoiceTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), train: file,
                                          eval: file, maxLength: reference["max_length"] as! Int)
        return (task, loaded.model)
    }

    @Test func csvAndBothJSONLShapesReadLikePandas() throws {
        let want = Self.reference["examples"] as! [[String: Any]]
        var read: [[MultipleChoiceExample]] = []
        for (name, format) in [("swag.csv", MultipleChoiceFile.Format.csv), ("swag.jsonl", .jsonl), ("generic.jsonl", .jsonl)] {
            let file = try MultipleChoiceFile(url: Self.fixtures.appendingPathComponent(name))
            #expect(file.format == format && file.choiceCount == 4 && file.isLabelled, "\(name)")
            #expect(file.examples.count == want.count, "\(name)")
            for (got, w) in zip(file.examples, want) {
                #expect(got.context == w["context"] as! String, "\(name) line \(got.line)")
                #expect(got.header == w["header"] as! String, "\(name) line \(got.line)")
                #expect(got.endings == w["endings"] as! [String], "\(name) line \(got.line)")
                #expect(got.label == w["label"] as? Int, "\(name) line \(got.line)")
            }
            read.append(file.examples)
        }
        // CRLF records; the second one holds two line breaks inside quoted fields.
        #expect(read[0].map(\.line) == [2, 3, 6, 7, 8])
        #expect(read[1].map(\.line) == [1, 2, 3, 4, 5])
        #expect(read[0][1].context.contains("runner\nnears") && read[0][0].endings[2] == "swims across the \"kitchen\" pool.")
        #expect(read[0][0].choices[1] == "She throws the knife at the ceiling, laughing.")
        #expect(read[0][4].header.isEmpty && read[0][4].choices[0] == "The ball rolls into a pond.")
    }

    @Test func encodingsAndBatchEqualRunSwag() throws {
        let (task, model) = try Self.fixtureTask()
        let features = Self.reference["features"] as! [[String: Any]]
        #expect(task.trainFeatures.count == features.count)
        for (k, (got, want)) in zip(task.trainFeatures, features).enumerated() {
            #expect(got.map(\.ids) == want["input_ids"] as! [[Int]], "example \(k) input_ids")
            #expect(got.map(\.typeIds) == want["token_type_ids"] as! [[Int]], "example \(k) token_type_ids")
            #expect(got.map(\.attentionMask) == want["attention_mask"] as! [[Int]], "example \(k) attention_mask")
        }
        // At least one sequence was truncated to max_length, longest first.
        #expect(task.trainFeatures.flatMap { $0 }.contains { $0.count == task.maxLength })
        let batch = Self.reference["batch"] as! [String: Any]
        let array = { (key: String) in batch[key] as! [[[Int]]] }
        let x = try EncodingCollation.choices(task.trainFeatures, padId: task.padId, config: model.config)
        let ids = array("input_ids")
        #expect(x.inputIds.shape == [ids.count, ids[0].count, ids[0][0].count])
        #expect(x.inputIds.values == ids.flatMap { $0.flatMap { $0 } })
        #expect(x.tokenTypeIds.values == array("token_type_ids").flatMap { $0.flatMap { $0 } })
        #expect(x.attentionMask.values == array("attention_mask").flatMap { $0.flatMap { $0 } })
        #expect(batch["labels"] as! [Int] == task.trainFeatures.indices.map { (Self.reference["examples"] as! [[String: Any]])[$0]["label"] as! Int })
    }

    @Test func logitsLossAndGradientsMatchTransformers() throws {
        let (task, model) = try Self.fixtureTask()
        let file = try readSafetensors(Self.fixtures.appendingPathComponent("BertForMultipleChoice.safetensors"))
        model.eval()  // dropout off, as the fixture
        let out = try task.output(Array(0..<task.trainCount))
        expectClose(out.logits, file["out.logits"]!, "choice logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "choice loss")
        out.loss!.backward()
        expectGradients(model, file)
        // run_swag's accuracy of the same scores, and the mean loss.
        let eval = try #require(try task.evaluate())
        #expect(abs(eval["accuracy"]! - (Self.reference["accuracy"] as! Double)) < 1e-6, "\(eval.text)")
        #expect(abs(eval["loss"]! - (Self.reference["loss"] as! Double)) < 1e-5, "\(eval.text)")
    }

    /// Under MPI each process scores a block of the evaluation examples: the blocks together give
    /// exactly what one process computes.
    @Test func evaluationFromOutputBlocksEqualsEvaluate() throws {
        let (task, _) = try Self.fixtureTask()
        task.evalBatchSize = 2
        let whole = try #require(try task.evaluate())
        let blocks = try task.evaluationOutputs(0..<2) + task.evaluationOutputs(2..<task.evaluationCount)
        let split = try #require(try task.evaluation(fromOutputs: blocks))
        #expect(task.evaluationCount == 5 && blocks.allSatisfy { $0.count == 4 })
        #expect(split.metrics.map(\.value) == whole.metrics.map(\.value) && split.primary == "accuracy")
    }

    @Test func predictionTakesTheFirstLargestScore() {
        #expect(MultipleChoiceTask.prediction([0.1, 0.7, 0.7, -1]) == 1)
        let e = MultipleChoiceTask.metrics(logits: [[0, 0], [1, 3]], labels: [1, 1])
        #expect(e["accuracy"] == 0.5 && abs(e["loss"]! - (log(2) + log(1 + exp(-2.0))) / 2) < 1e-12)
    }

    // MARK: a learnable task on the tiny model

    /// `count` SWAG-format rows over the tiny vocabulary: four endings of filler words, the right
    /// one (a random index) holds the marker w1. Contexts are quoted, as a CSV writer would.
    static func swagCSV(_ count: Int, seed: UInt64, labelled: Bool = true) -> String {
        var g = RandomGenerator(seed: seed)
        func words(_ n: Int) -> [String] { (0..<n).map { _ in "w\(10 + Int(g.next() % 80))" } }
        var lines = [",video-id,fold-ind,startphrase,sent1,sent2,gold-source,ending0,ending1,ending2,ending3" + (labelled ? ",label" : "")]
        for k in 0..<count {
            let answer = Int(g.next() % 4)
            let context = words(3 + k % 4).joined(separator: " "), header = words(1 + k % 2).joined(separator: " ")
            let endings = (0..<4).map { i in
                var w = words(2 + Int(g.next() % 3))
                if i == answer { w.insert("w1", at: Int(g.next() % UInt64(w.count + 1))) }
                return w.joined(separator: " ")
            }
            let row = ["\(k)", "v\(k)", "\(k)", "\"\(context) \(header)\"", "\"\(context)\"", header, "gold"] + endings
            lines.append((row + (labelled ? ["\(answer)"] : [])).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The same kind of data as generic JSON Lines (`context`, `endings`, `label`).
    static func genericJSONL(_ count: Int, seed: UInt64) throws -> String {
        let file = try FineTuneClassifyTests.write(swagCSV(count, seed: seed), FileManager.default.temporaryDirectory
            .appendingPathComponent("choice-\(UUID().uuidString).csv"))
        defer { try? FileManager.default.removeItem(at: file) }
        return try MultipleChoiceFile(url: file).examples.map { e in
            let object: [String: Any] = ["context": e.context + " " + e.header, "endings": e.endings, "label": e.label!]
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    @Test func libraryLoopLearnsAndSaves() throws {
        let dir = try FineTuneClassifyTests.directory("choice-lib")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try MultipleChoiceFile(url: FineTuneClassifyTests.write(Self.swagCSV(256, seed: 1), dir.appendingPathComponent("train.csv")))
        let dev = try MultipleChoiceFile(url: FineTuneClassifyTests.write(try Self.genericJSONL(64, seed: 2), dir.appendingPathComponent("dev.jsonl")))
        #expect(train.examples.count == 256 && dev.examples.count == 64 && dev.format == .jsonl)
        let directory = try BertModelDirectory(FineTuneClassifyTests.model)
        let loaded = try directory.load(BertForMultipleChoice.self, seed: 3)
        #expect(Set(loaded.newlyInitialized) == ["classifier.weight", "classifier.bias"])
        let task = try MultipleChoiceTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), train: train, eval: dev,
                                          maxLength: 24)
        task.tokenizerSource = directory.url
        let before = try #require(try task.evaluate())
        let groups = ParameterGroup.excludingWeightDecay(loaded.model.namedParameters(), learningRate: 3e-3, weightDecay: 0.01)
        let trainer = FineTuningTrainer(model: loaded.model, optimizer: AdamW(groups), schedule: .linear(warmupSteps: 4, totalSteps: 96))
        var settings = FineTuningRunSettings(batchSize: 16, steps: 96)
        settings.evalEvery = 32
        let output = dir.appendingPathComponent("run")
        let run = try FineTuningRun(task: task, trainer: trainer, settings: settings, output: output,
                                    progress: ProgressLine(totalSteps: 96, inPlace: false, write: { _ in }))
        let after = try #require(try run.train())
        #expect(after.score >= 0.9 && after.score > before.score + 0.4, "dev accuracy \(after.score) (before training \(before.score))")
        let records = try MetricsLog.read(output.appendingPathComponent("metrics.jsonl"))
        #expect(records.filter { $0["kind"] as? String == "eval" }.count == 3)
        // The saved directory is a BertForMultipleChoice with every weight, and scores the same.
        let saved = try BertModelDirectory(output.appendingPathComponent("model"))
        #expect(saved.config.architectures == ["BertForMultipleChoice"])
        #expect(FileManager.default.fileExists(atPath: saved.url.appendingPathComponent("vocab.txt").path))
        let reloaded = try saved.load(BertForMultipleChoice.self)
        #expect(reloaded.newlyInitialized.isEmpty && reloaded.unused.isEmpty)
        let again = try MultipleChoiceTask(model: reloaded.model, tokenizer: try saved.loadTokenizer(), train: nil, eval: dev,
                                           maxLength: 24)
        #expect(try again.evaluate()?.score == after.score)
    }

    @Test func unlabelledFilesAreForPredictionOnly() throws {
        let dir = try FineTuneClassifyTests.directory("choice-unlabelled")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try FineTuneClassifyTests.write(Self.swagCSV(4, seed: 9, labelled: false), dir.appendingPathComponent("test.csv"))
        let file = try MultipleChoiceFile(url: url)
        #expect(!file.isLabelled && file.examples.allSatisfy { $0.label == nil })
        let directory = try BertModelDirectory(FineTuneClassifyTests.model)
        let model = try directory.load(BertForMultipleChoice.self).model
        #expect(throws: FineTuningError.badFile(file: url.path, reason: "has no labels: training and evaluation need the right ending of every example")) {
            _ = try MultipleChoiceTask(model: model, tokenizer: try directory.loadTokenizer(), train: file, eval: nil, maxLength: 24)
        }
        let task = try MultipleChoiceTask(model: model, tokenizer: try directory.loadTokenizer(), train: nil, eval: nil, maxLength: 24)
        let scores = try task.logits(try task.encode(file.examples))
        #expect(scores.count == 4 && scores.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isFinite) })
    }
}
