import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Token classification: CoNLL reading, label alignment against transformers' run_ner.py
/// (Scripts/make_tagging_fixtures.py), and a learnable synthetic NER task on the tiny model of
/// Fixtures/tiny_gelu learnt by the library loop, saved with its tags and evaluated the same way
/// split over processes.
@Suite(.serialized) struct FineTuneTagTests {
    static let model = fixturesURL("tiny_gelu")

    /// `count` sentences of the tiny vocabulary: w1 is a person (B-PER), w2 after it its second
    /// word (I-PER, else O); w3 is a place (B-LOC) and w4 after w3 continues it (I-LOC); w5 is a
    /// place only after w6 (context decides); everything else is O. Some person words carry a
    /// "." (one word, two tokens: w1 [UNK]).
    static func conll(_ count: Int, seed: UInt64, crlf: Bool = false) -> String {
        var g = RandomGenerator(seed: seed)
        var lines = ["-DOCSTART- -X- -X- O", ""]
        for _ in 0..<count {
            let n = 3 + Int(g.next() % 8)
            var words: [(String, String)] = []
            while words.count < n {
                switch g.next() % 10 {
                case 0, 1:
                    words.append((g.next() % 4 == 0 ? "w1." : "w1", "B-PER"))
                    if g.next() % 2 == 0 { words.append(("w2", "I-PER")) }
                case 2:
                    words.append(("w3", "B-LOC"))
                    if g.next() % 2 == 0 { words.append(("w4", "I-LOC")) }
                case 3:
                    words.append(("w6", "O"))
                    words.append(("w5", "B-LOC"))
                case 4:
                    words.append(("w5", "O"))
                default:
                    words.append(("w\(10 + Int(g.next() % 80))", "O"))
                }
            }
            for (w, t) in words { lines.append("\(w) NN \(t)") }
            lines.append("")
        }
        return lines.joined(separator: crlf ? "\r\n" : "\n")
    }

    // MARK: reading and alignment

    @Test func conllFileReadsColumnsSentencesAndTags() throws {
        let dir = try FineTuneClassifyTests.directory("conll")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "-DOCSTART- -X- O\r\n\r\nEU\tNNP B-ORG\r\nrejects VBZ  O\r\n\r\n\r\n  \r\nPeter NNP B-PER\r\n-DOCSTART- -X- O\r\nx NN O"
        let url = try FineTuneClassifyTests.write(text, dir.appendingPathComponent("a.conll"))
        let file = try CoNLLFile(url: url)
        #expect(file.sentences == [CoNLLSentence(words: ["EU", "rejects"], tags: ["B-ORG", "O"], lines: [3, 4]),
                                   CoNLLSentence(words: ["Peter"], tags: ["B-PER"], lines: [8]),
                                   CoNLLSentence(words: ["x"], tags: ["O"], lines: [10])])
        #expect(file.columns == 3 && file.isTagged && file.tagSet == ["B-ORG", "B-PER", "O"])
        #expect(try CoNLLFile(url: url, tagColumn: 1).sentences[0].tags == ["NNP", "VBZ"])
        #expect(file.prefix(1).sentences.count == 1)
        // Words only: accepted for prediction, refused for training.
        let words = try FineTuneClassifyTests.write("EU\nrejects\n\nPeter\n", dir.appendingPathComponent("w.conll"))
        let untagged = try CoNLLFile(url: words, requireTags: false)
        #expect(!untagged.isTagged && untagged.sentences.map(\.words) == [["EU", "rejects"], ["Peter"]])
        #expect(throws: FineTuningError.badFile(file: words.path, reason: "has no tag column: training needs the token and its tag")) {
            _ = try TagScheme(training: untagged, config: BertConfig(vocabSize: 99))
        }
        // Labels the model's config names decide the ids.
        var config = BertConfig(vocabSize: 99)
        TagScheme(names: ["O", "B-PER", "B-ORG"]).apply(to: &config)
        #expect(try TagScheme(training: file, config: config).names == ["O", "B-PER", "B-ORG"])
        #expect(config.numLabels == 3 && config.label2id == ["O": 0, "B-PER": 1, "B-ORG": 2])
    }

    struct Alignment: Decodable {
        struct Row: Decodable { var input_ids: [Int]; var word_ids: [Int]; var labels: [Int] }
        struct Case: Decodable { var max_length: Int; var sentences: [Row] }
        var label_list: [String]
        var words: [[String]]
        var cases: [Case]
    }

    /// Input ids, word ids and labels equal transformers' run_ner.py tokenize_and_align_labels
    /// (label_all_tokens=False) at three truncation lengths, on words with accents, punctuation,
    /// CJK, unknown characters, a 101-character word and words empty after normalisation.
    @Test func labelsAlignAsRunNer() throws {
        let fixture = try JSONDecoder().decode(Alignment.self, from: Data(contentsOf: fixturesURL("tagging/alignment.json")))
        let file = try CoNLLFile(url: fixturesURL("tagging/align.conll"))
        #expect(file.sentences.map(\.words) == fixture.words)
        let tags = try TagScheme(training: file, config: BertConfig(vocabSize: 99))
        #expect(tags.names == fixture.label_list)
        var tokenizer = try BertTokenizer(vocabularyFile: fixturesURL("tagging/vocab.txt"))
        #expect(fixture.cases.count == 3)
        for c in fixture.cases {
            tokenizer.truncation = Truncation(maxLength: c.max_length)
            let features = try TokenClassificationTask.features(file.sentences, file: file.url.path, tokenizer: tokenizer, tags: tags)
            for (k, (f, want)) in zip(features, c.sentences).enumerated() {
                #expect(f.encoding.ids == want.input_ids, "max_length \(c.max_length) sentence \(k) ids")
                #expect(f.encoding.wordIds.map { $0 ?? -1 } == want.word_ids, "max_length \(c.max_length) sentence \(k) word ids")
                #expect(f.labels == want.labels, "max_length \(c.max_length) sentence \(k) labels")
            }
        }
    }

    // MARK: training

    static func task(train: CoNLLFile?, eval: CoNLLFile?, maxLength: Int = 24, seed: UInt64 = 3) throws -> TokenClassificationTask {
        let directory = try BertModelDirectory(model)
        let tags = try TagScheme(training: train ?? eval!, config: directory.config)
        let loaded = try directory.load(BertForTokenClassification.self, numLabels: tags.count, seed: seed) { tags.apply(to: &$0) }
        let task = try TokenClassificationTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), tags: tags,
                                               train: train, eval: eval, maxLength: maxLength)
        task.tokenizerSource = directory.url
        return task
    }

    /// The tagging loss is a mean over labelled tokens, so gradient accumulation weighs each
    /// micro-batch by its labelled tokens (``TokenClassificationTask/lossWeight(_:)``): two
    /// micro-batches of 4 sentences give the loss and every gradient of one batch of 8 (dropout 0).
    @Test func accumulatedMicroBatchesEqualTheWholeBatch() throws {
        let dir = try FineTuneClassifyTests.directory("tag-accumulate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try CoNLLFile(url: FineTuneClassifyTests.write(Self.conll(8, seed: 4), dir.appendingPathComponent("train.conll")))
        let directory = try BertModelDirectory(Self.model)
        let tags = try TagScheme(training: train, config: directory.config)
        func make() throws -> (TokenClassificationTask, FineTuningTrainer) {
            let loaded = try directory.load(BertForTokenClassification.self, numLabels: tags.count, seed: 3) {
                tags.apply(to: &$0)
                ($0.hiddenDropoutProb, $0.attentionProbsDropoutProb, $0.classifierDropout) = (0, 0, 0)
            }
            let task = try TokenClassificationTask(model: loaded.model, tokenizer: try directory.loadTokenizer(), tags: tags,
                                                   train: train, eval: nil, maxLength: 24)
            let groups = [ParameterGroup(loaded.model.namedParameters(), learningRate: 0.1, weightDecay: 0)]
            return (task, FineTuningTrainer(model: loaded.model, optimizer: SGD(groups), schedule: .constant, maxGradientNorm: nil))
        }
        let (whole, wholeTrainer) = try make(), (split, splitTrainer) = try make()
        let halves = [Array(0..<4), Array(4..<8)]
        let before = whole.tagger.namedParameters().map { $0.1.value.toArray() }
        #expect(split.lossWeight(halves[0]) != split.lossWeight(halves[1]), "halves with equal token counts would prove nothing")
        let a = try wholeTrainer.step(microBatches: [8], weights: [whole.lossWeight(Array(0..<8))]) { _ in try whole.trainingLoss(Array(0..<8)) }
        let b = try splitTrainer.step(microBatches: [4, 4], weights: halves.map(split.lossWeight)) { try split.trainingLoss(halves[$0]) }
        #expect(abs(a.loss - b.loss) <= 1e-6 * a.loss, "loss \(a.loss) whole, \(b.loss) accumulated")
        // SGD without momentum: each parameter moved by −0.1 · its gradient.
        var moved = 0
        for (((name, p), (_, q)), start) in zip(zip(whole.tagger.namedParameters(), split.tagger.namedParameters()), before) {
            let want = Tensor(zip(p.value.toArray(), start).map { $0 - $1 }, shape: p.value.shape)
            let got = Tensor(zip(q.value.toArray(), start).map { $0 - $1 }, shape: q.value.shape)
            expectGradClose(got, want, rtol: 1e-5, "update of \(name)")
            if want.toArray().contains(where: { $0 != 0 }) { moved += 1 }
        }
        #expect(moved > 10)
    }

    @Test func libraryLoopLearnsAndSavesTags() throws {
        let dir = try FineTuneClassifyTests.directory("tag-lib")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try CoNLLFile(url: FineTuneClassifyTests.write(Self.conll(256, seed: 1, crlf: true), dir.appendingPathComponent("train.conll")))
        let dev = try CoNLLFile(url: FineTuneClassifyTests.write(Self.conll(64, seed: 2), dir.appendingPathComponent("dev.conll")))
        let task = try Self.task(train: train, eval: dev)
        #expect(task.tags.names == ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"])
        let before = try #require(try task.evaluate())
        let groups = ParameterGroup.excludingWeightDecay(task.tagger.namedParameters(), learningRate: 3e-3, weightDecay: 0.01)
        let trainer = FineTuningTrainer(model: task.tagger, optimizer: AdamW(groups), schedule: .linear(warmupSteps: 8, totalSteps: 256))
        var settings = FineTuningRunSettings(batchSize: 16, steps: 256)
        settings.evalEvery = 64
        let output = dir.appendingPathComponent("run")
        let run = try FineTuningRun(task: task, trainer: trainer, settings: settings, output: output,
                                    progress: ProgressLine(totalSteps: 256, inPlace: false, write: { _ in }))
        let after = try #require(try run.train())
        #expect(after.primary == "f1")
        #expect(after.score >= 0.9 && after.score > before.score + 0.3, "dev entity F1 \(after.score) (before training \(before.score)): \(after.text)")
        #expect(after["PER_f1"] != nil && after["LOC_number"] != nil && after["accuracy"]! > 0.9)
        // The saved directory names its tags and reproduces the evaluation.
        let saved = try BertModelDirectory(output.appendingPathComponent("model"))
        #expect(saved.config.id2label == [0: "B-LOC", 1: "B-PER", 2: "I-LOC", 3: "I-PER", 4: "O"])
        #expect(saved.config.architectures == ["BertForTokenClassification"])
        let reloaded = try saved.load(BertForTokenClassification.self)
        #expect(reloaded.newlyInitialized.isEmpty)
        let again = try TokenClassificationTask(model: reloaded.model, tokenizer: try saved.loadTokenizer(),
                                                tags: try TagScheme(training: train, config: saved.config),
                                                train: nil, eval: dev, maxLength: 24)
        #expect(try again.evaluate()?.metrics.map(\.value) == after.metrics.map(\.value))
    }

    /// The rows one process computes for each block of sentences give, joined, the evaluation of
    /// the whole (what FineTuningRun gathers under MPI).
    @Test func evaluationRowsSplitLikeOneProcess() throws {
        let dir = try FineTuneClassifyTests.directory("tag-rows")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dev = try CoNLLFile(url: FineTuneClassifyTests.write(Self.conll(23, seed: 4), dir.appendingPathComponent("dev.conll")))
        let task = try Self.task(train: nil, eval: dev)
        task.evalBatchSize = 5
        let whole = try #require(try task.evaluate())
        #expect(task.evaluationCount == 23)
        let rows = try task.evaluationOutputs(0..<9) + task.evaluationOutputs(9..<9) + task.evaluationOutputs(9..<23)
        #expect(Set(rows.map(\.count)).count == 1)
        let joined = try #require(try task.evaluation(fromOutputs: rows))
        // The tag metrics are equal; the loss to float rounding (the per-block batches differ, so
        // the packed real-token rows go through gemms of other sizes).
        #expect(joined.metrics.map(\.name) == whole.metrics.map(\.name))
        for (a, b) in zip(joined.metrics, whole.metrics) {
            if a.name == "loss" {
                #expect(abs(a.value - b.value) <= 1e-6 * max(1, abs(b.value)), "loss \(a.value) joined, \(b.value) whole")
            } else {
                #expect(a.value == b.value, "\(a.name) \(a.value) joined, \(b.value) whole")
            }
        }
    }

    /// Words cut off by truncation are scored as O (their entities missed) by default, or left
    /// out (run_ner.py) with `.skip`; a word empty after normalisation has no token either.
    @Test func wordsWithoutTokenAreScoredAsOOrSkipped() throws {
        let dir = try FineTuneClassifyTests.directory("tag-cut")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "w10 O\nw11 O\nw12 O\nw1 B-PER\nw2 I-PER\n\n\u{7} B-LOC\nw3 B-LOC\n"
        let dev = try CoNLLFile(url: FineTuneClassifyTests.write(text, dir.appendingPathComponent("dev.conll")))
        let task = try Self.task(train: nil, eval: dev, maxLength: 5)  // 3 words fit
        let predictions = try task.predict(try task.features(dev.sentences))
        #expect(predictions.map { $0.ids.map { $0 != nil } } == [[true, true, true, false, false], [false, true]])
        let scoredAsO = task.evaluation(predictions, sentences: dev.sentences)
        #expect(scoredAsO["PER_number"] == 1 && scoredAsO["LOC_number"] == 2 && scoredAsO["PER_recall"] == 0)
        task.wordsWithoutToken = .skip
        let skipped = task.evaluation(predictions, sentences: dev.sentences)
        #expect((skipped["PER_number"] ?? 0) == 0 && skipped["LOC_number"] == 1)
        #expect(task.tagNames(predictions[0]).suffix(2) == ["O", "O"])
    }
}
