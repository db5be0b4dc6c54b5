import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Sentence classification end to end on the tiny model of Fixtures/tiny_gelu: a learnable synthetic
/// task (the label is which of two marker words a sentence holds) is learnt by the library loop and
/// by `bert finetune classify`; the written model directory carries its labels and predicts the same
/// through `bert predict` and `bert classify`; malformed files are refused naming file and line.
@Suite(.serialized) struct FineTuneClassifyTests {
    static let model = fixturesURL("tiny_gelu")

    /// `count` rows `label<TAB>sentence`: "good" rows hold w1, "bad" rows w2, among filler words.
    static func tsv(_ count: Int, seed: UInt64, header: String = "label\tsentence", crlf: Bool = false) -> String {
        var g = RandomGenerator(seed: seed)
        var lines = [header]
        for k in 0..<count {
            var words = (0..<(3 + k % 5)).map { _ in "w\(10 + Int(g.next() % 80))" }
            let good = k % 2 == 0
            words.insert(good ? "w1" : "w2", at: Int(g.next() % UInt64(words.count + 1)))
            lines.append("\(good ? "good" : "bad")\t\(words.joined(separator: " "))")
        }
        return lines.joined(separator: crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n")
    }

    static func directory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, _ url: URL) throws -> URL {
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func libraryLoopLearnsAndSavesLabels() throws {
        let dir = try Self.directory("ft-lib")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try ClassificationFile(url: Self.write(Self.tsv(256, seed: 1, crlf: true), dir.appendingPathComponent("train.tsv")))
        let dev = try ClassificationFile(url: Self.write(Self.tsv(64, seed: 2), dir.appendingPathComponent("dev.tsv")))
        #expect(train.examples.count == 256 && train.examples[0].line == 2 && !train.examples[0].text.hasSuffix("\r"))
        let directory = try BertModelDirectory(Self.model)
        let scheme = try LabelScheme(training: train.examples, file: train.url.path, config: directory.config)
        #expect(scheme == .classes(["bad", "good"]))
        let loaded = try directory.load(BertForSequenceClassification.self, numLabels: 2, seed: 3) { scheme.apply(to: &$0) }
        #expect(Set(loaded.newlyInitialized).isSuperset(of: ["classifier.weight", "classifier.bias"]))
        #expect(!loaded.model.bert.skipsPaddingPositions, "off by default: outputs at every position equal transformers'")
        let task = try SequenceClassificationTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), scheme: scheme,
                                                  train: train, eval: dev, maxLength: 16)
        #expect(loaded.model.bert.skipsPaddingPositions, "the task reads token 0 only and turns padding skipping on")
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
        #expect(after.score >= 0.95, "dev accuracy \(after.score) (before training \(before.score))")
        let records = try MetricsLog.read(output.appendingPathComponent("metrics.jsonl"))
        #expect(records.filter { $0["kind"] as? String == "eval" }.count == 3)
        #expect(records.filter { $0["kind"] as? String == "train" }.count == 96 / 10 + 1)
        // The saved directory names its labels and reproduces the task's logits.
        let saved = try BertModelDirectory(output.appendingPathComponent("model"))
        #expect(saved.config.id2label == [0: "bad", 1: "good"] && saved.config.label2id == ["bad": 0, "good": 1])
        let reloaded = try saved.load(BertForSequenceClassification.self)
        #expect(reloaded.newlyInitialized.isEmpty)
        let again = try SequenceClassificationTask(model: reloaded.model, tokenizer: try saved.loadTokenizer(),
                                                   scheme: try LabelScheme(training: train.examples, file: "", config: saved.config),
                                                   train: nil, eval: dev, maxLength: 16)
        #expect(try again.evaluate()?.score == after.score)
    }

    @Test func malformedFilesNameFileAndLine() throws {
        let dir = try Self.directory("ft-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        func error(_ text: String) -> String {
            let url = dir.appendingPathComponent("bad.tsv")
            try? Data(text.utf8).write(to: url)
            do { _ = try ClassificationFile(url: url); return "no error" } catch { return "\(error)" }
        }
        let path = dir.appendingPathComponent("bad.tsv").path
        #expect(error("label\tsentence\ngood\tw1 w3\nbad\tw2\tw4\n") == "\(path):3: 3 tab-separated fields, the header has 2")
        #expect(error("label\tsentence\ngood\t  \n") == "\(path):2: empty sentence")
        #expect(error("label\tsentence\n\tw1\n") == "\(path):2: empty label")
        #expect(error("") == "\(path): is empty: expected a header row naming the columns")
        #expect(error("label\tsentence\n") == "\(path): has a header but no example")
        #expect(error("label\tfoo\tbar\ngood\tw1\tw2\n").contains("names no text column"))
        // A label the model does not know, with its line.
        let train = try ClassificationFile(url: Self.write(Self.tsv(8, seed: 1), dir.appendingPathComponent("t.tsv")))
        let scheme = try LabelScheme(training: train.examples, file: "t.tsv", config: BertConfig(vocabSize: 99))
        let odd = ClassificationExample(line: 7, text: "w1", label: "neutral")
        #expect(throws: FineTuningError.badLine(file: "dev.tsv", line: 7, reason: "label \"neutral\" is not in label2id [\"bad\", \"good\"]")) {
            try scheme.target(for: odd, file: "dev.tsv")
        }
        #expect(try LabelScheme(training: [ClassificationExample(line: 2, text: "a", label: "0.5"),
                                           ClassificationExample(line: 3, text: "b", label: "3")],
                                file: "", config: BertConfig(vocabSize: 99)) == .regression)
    }
}
