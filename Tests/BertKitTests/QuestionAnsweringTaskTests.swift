import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Question answering end to end on a tiny random BERT over the QA fixture's vocabulary: the
/// library loop learns the fixture questions, the saved directory reloads as
/// `BertForQuestionAnswering` and answers the same, the data-parallel evaluation path equals the
/// whole one, long questions are cut at a word, and `bert finetune qa` / `bert predict --task qa`
/// write transformers-shaped predictions.
@Suite(.serialized) struct QuestionAnsweringTaskTests {
    static let settings = QuestionAnsweringSettings(maxLength: 48, docStride: 12, maxQueryLength: 16)

    /// A tiny random BERT (H 32, 2 layers, 64 positions) with the fixture vocabulary, as an HF model directory.
    static func modelDirectory(_ name: String) throws -> URL {
        let dir = try FineTuneClassifyTests.directory(name)
        let vocab = QuestionAnsweringTests.directory.appendingPathComponent("vocab.txt")
        let count = try String(contentsOf: vocab, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let config = BertConfig(vocabSize: count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 48,
                                maxPositionEmbeddings: 64)
        var g = RandomGenerator(seed: 11)
        let model = BertModel(config: config, generator: &g)
        let out = dir.appendingPathComponent("tiny")
        try BertCheckpoint.save(model, config: config, architecture: "BertModel", to: out)
        try FileManager.default.copyItem(at: vocab, to: out.appendingPathComponent("vocab.txt"))
        return out
    }

    @Test func libraryLoopLearnsSavesAndReloads() throws {
        let model = try Self.modelDirectory("qa-lib")
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let directory = try BertModelDirectory(model)
        let loaded = try directory.load(BertForQuestionAnswering.self, seed: 3)
        #expect(Set(loaded.newlyInitialized) == ["qa_outputs.weight", "qa_outputs.bias"])
        let file = try QuestionAnsweringTests.file("squad_v1.json")
        let task = try QuestionAnsweringTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), train: file, eval: file,
                                             settings: Self.settings, postprocess: .init(nBest: 20, maxAnswerLength: 30))
        task.tokenizerSource = directory.url
        #expect(task.trainCount == 70)  // the windows of squad_v1.json (make_qa_fixtures.py prints 70)
        #expect(task.evaluationCount == task.trainCount && task.skippedTrainingQuestions.isEmpty)
        let before = try #require(try task.evaluate())
        // The data-parallel path (outputs of ranges, gathered) gives the same figures.
        let outputs = try task.evaluationOutputs(0..<32) + task.evaluationOutputs(32..<task.evaluationCount)
        #expect(try task.evaluation(fromOutputs: outputs)?.metrics.map(\.value) == before.metrics.map(\.value))
        let groups = ParameterGroup.excludingWeightDecay(loaded.model.namedParameters(), learningRate: 3e-3, weightDecay: 0.01)
        let trainer = FineTuningTrainer(model: loaded.model, optimizer: AdamW(groups), schedule: .linear(warmupSteps: 5, totalSteps: 120))
        var settings = FineTuningRunSettings(batchSize: 16, steps: 120)
        settings.keepBest = false
        let output = model.deletingLastPathComponent().appendingPathComponent("run")
        let run = try FineTuningRun(task: task, trainer: trainer, settings: settings, output: output,
                                    progress: ProgressLine(totalSteps: 120, inPlace: false, write: { _ in }))
        let after = try #require(try run.train())
        let losses = try MetricsLog.read(output.appendingPathComponent("metrics.jsonl")).compactMap { $0["loss"] as? Double }
        #expect(losses.last! < 0.5 * losses.first!, "training loss \(losses.first!) → \(losses.last!)")
        #expect(after.score > before.score + 20, "F1 on the training questions \(before.score) → \(after.score)")
        #expect(after["exact_match"] != nil && after.primary == "f1")
        // The saved directory is a complete BertForQuestionAnswering that answers the same.
        let saved = try BertModelDirectory(output.appendingPathComponent("model"))
        #expect(saved.config.architectures == ["BertForQuestionAnswering"])
        let reloaded = try saved.load(BertForQuestionAnswering.self)
        #expect(reloaded.newlyInitialized.isEmpty)
        let again = try QuestionAnsweringTask(model: reloaded.model, tokenizer: try saved.loadTokenizer(), train: nil, eval: file,
                                              settings: Self.settings, postprocess: task.postprocess)
        #expect(try again.predict(file) == task.lastPredictions)
        #expect(try again.evaluate()?.score == after.score)
    }

    @Test func longQuestionsAreCutAtAWord() throws {
        let tokenizer = try QuestionAnsweringTests.tokenizer()
        let question = "How many locks did the original canal have when it opened in the year of its construction?"
        let example = SquadExample(id: "long", question: question, context: "It had eighty-three locks.",
                                   answers: [SquadAnswer(text: "eighty-three", start: 7)], path: "data[0]")
        let settings = QuestionAnsweringSettings(maxLength: 40, docStride: 4, maxQueryLength: 6)
        let made = try QuestionAnsweringFeatures.make([example], tokenizer: tokenizer, settings: settings)
        #expect(made.truncatedQuestions == ["long"])
        let f = try #require(made.features.first)
        let questionTokens = f.encoding.sequenceIds.filter { $0 == 0 }.count
        var plain = tokenizer
        plain.truncation = nil
        let full = try plain.encode(question, addSpecialTokens: false)
        #expect(questionTokens <= 6 && questionTokens > 0)
        #expect(Array(f.encoding.ids[1...questionTokens]) == Array(full.ids[0..<questionTokens]), "the kept tokens are the question's first ones")
        // The next word would not have fitted whole.
        let nextWord = full.wordIds[questionTokens]
        #expect(full.wordIds[0..<questionTokens].allSatisfy { $0 != nextWord })
        let answer = f.encoding.ids[f.startPosition...f.endPosition]
        #expect(plain.decode(Array(answer)) == "eighty - three")
        // Settings that leave no room for the context are refused before anything runs.
        #expect(throws: TrainingError.self) {
            try QuestionAnsweringFeatures.make([example], tokenizer: tokenizer, settings: .init(maxLength: 40, docStride: 30, maxQueryLength: 8))
        }
    }

    @Test func unanswerableQuestionsNeedVersionTwo() throws {
        let model = try Self.modelDirectory("qa-v2")
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let directory = try BertModelDirectory(model)
        let loaded = try directory.load(BertForQuestionAnswering.self, seed: 3)
        let v2 = try QuestionAnsweringTests.file("squad_v2.json")
        #expect(throws: FineTuningError.self) {
            try QuestionAnsweringTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), train: v2, eval: nil, settings: Self.settings)
        }
        let task = try QuestionAnsweringTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), train: v2, eval: v2,
                                             settings: Self.settings, postprocess: .init(versionTwoWithNegative: true))
        let e = try #require(try task.evaluate())
        #expect(e["NoAns_total"] == 3 && e["HasAns_total"] == 16 && e["total"] == 19)
        #expect(task.lastPredictions.allSatisfy { $0.scoreDifference != nil })
    }

    @Test func finetuneAndPredictCommands() throws {
        let model = try Self.modelDirectory("qa-cli")
        let dir = model.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v2 = QuestionAnsweringTests.directory.appendingPathComponent("squad_v2.json").path
        let output = dir.appendingPathComponent("out")
        let qaFlags = ["--max-length", "48", "--doc-stride", "12", "--max-query-length", "16", "--version-2-with-negative", "--n-best", "10"]
        let r = try BertBinary.run(["finetune", "qa", "--model", model.path, "--train", v2, "--eval", v2, "--output", output.path,
                                    "--steps", "6", "--batch-size", "8", "--lr", "1e-3"] + qaFlags)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("model written to") && r.stderr.contains("predictions.json"), "\(r.stderr)")
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("eval_results.json"))) as! [String: Any]
        #expect(results["eval_f1"] is Double && results["eval_NoAns_total"] as? Double == 3)
        let ids = try QuestionAnsweringTests.file("squad_v2.json").examples.map(\.id)
        let predictions = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("predictions.json"))) as! [String: String]
        #expect(Set(predictions.keys) == Set(ids))
        let nbest = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("nbest_predictions.json"))) as! [String: [[String: Any]]]
        #expect(Set(nbest.keys) == Set(ids) && nbest.values.allSatisfy { !$0.isEmpty && $0.count <= 11 })
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("null_odds.json").path))
        // bert predict on the written model: the same answers.
        let answers = dir.appendingPathComponent("answers")
        let p = try BertBinary.run(["predict", "--task", "qa", "--model", output.appendingPathComponent("model").path, "--input", v2,
                                    "--output", answers.path] + qaFlags)
        #expect(p.status == 0, "\(p.stderr)")
        let metrics = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as! [String: Any]
        #expect(metrics["f1"] as? Double == results["eval_f1"] as? Double)
        let again = try JSONSerialization.jsonObject(with: Data(contentsOf: answers.appendingPathComponent("predictions.json"))) as! [String: String]
        #expect(again == predictions)
    }

    @Test func badInputStopsWithFileAndQuestion() throws {
        let model = try Self.modelDirectory("qa-cli-bad")
        let dir = model.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out")
        let common = ["finetune", "qa", "--model", model.path, "--output", output.path, "--steps", "2", "--max-length", "48",
                      "--doc-stride", "12", "--max-query-length", "16"]
        let bad = dir.appendingPathComponent("bad.json")
        try Data(MalformedSquadCorpusTests.squad(qa: MalformedSquadCorpusTests.qa(answers: #"[{"text": "Paris", "answer_start": 40}]"#)).utf8).write(to: bad)
        var r = try BertBinary.run(common + ["--train", bad.path])
        #expect(r.status == 64 && r.stderr.contains("\(bad.path): data[0].paragraphs[0].qas[0] (id \"q1\").answers[0].answer_start 40"), "\(r.stderr)")
        let v2 = QuestionAnsweringTests.directory.appendingPathComponent("squad_v2.json").path
        r = try BertBinary.run(common + ["--train", v2])
        #expect(r.status == 64 && r.stderr.contains("\(v2): data[") && r.stderr.contains("--version-2-with-negative"), "\(r.stderr)")
        r = try BertBinary.run(common.map { $0 == "12" ? "40" : $0 } + ["--train", v2, "--version-2-with-negative"])
        #expect(r.status == 64 && r.stderr.contains("must exceed the doc stride 40"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
