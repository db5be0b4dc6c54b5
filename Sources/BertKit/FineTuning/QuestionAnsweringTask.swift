import Foundation
import TensorCore
import Tokenization

/// Extractive question answering (SQuAD v1.1 / v2.0) with a ``QuestionAnsweringModel``
/// (`BertForQuestionAnswering`, `DistilBertForQuestionAnswering`): questions
/// become windows (``QuestionAnsweringFeatures``), training minimises (CE(start) + CE(end)) / 2
/// over the windows (each window is one training example, as in HF `run_qa.py`), evaluation runs
/// every window of the evaluation file, turns the logits into answers
/// (``QuestionAnsweringPostprocess``) and scores them with the official metrics
/// (``SquadMetrics``; primary `f1`).
///
/// Training skips the questions whose answer text is not the context at `answer_start`
/// (``SquadFile/mismatchedAnswers``, counted in ``skippedTrainingQuestions``). Unanswerable
/// questions need `versionTwoWithNegative`.
///
/// ```swift
/// let task = try QuestionAnsweringTask(model: loaded.model, tokenizer: tokenizer, train: trainFile, eval: devFile,
///                                      settings: QuestionAnsweringSettings(maxLength: 384, docStride: 128))
/// let predictions = try task.predict(devFile)        // answers by question id
/// ```
public final class QuestionAnsweringTask: FineTuningTask {
    public let reader: any QuestionAnsweringModel
    public let tokenizer: BertTokenizer
    public let settings: QuestionAnsweringSettings
    public var postprocess: QuestionAnsweringPostprocessSettings
    public var evalBatchSize = 32
    /// Tokenizer files copied next to the saved weights (the source model directory).
    public var tokenizerSource: URL?
    /// Ids of training questions left out: their answer text is not the context slice.
    public let skippedTrainingQuestions: [String]
    /// Ids of questions (training and evaluation) cut to `maxQueryLength` tokens.
    public let truncatedQuestions: [String]
    /// The predictions of the last ``evaluate()`` (or ``evaluation(fromOutputs:)``).
    public private(set) var lastPredictions: [QuestionAnsweringPrediction] = []
    let trainFeatures: [QuestionAnsweringFeature]
    let evalExamples: [SquadExample]
    let evalFeatures: [QuestionAnsweringFeature]
    let padId: Int

    public var model: any Module { reader }
    public var trainCount: Int { trainFeatures.count }

    /// - Throws: ``TrainingError/invalidSetting(_:)`` for settings that do not fit the model;
    ///   ``FineTuningError`` naming the file for an unanswerable question without
    ///   `versionTwoWithNegative` or a question that cannot be windowed.
    public init(model: any QuestionAnsweringModel, tokenizer: BertTokenizer, train: SquadFile?, eval: SquadFile?,
                settings: QuestionAnsweringSettings, postprocess: QuestionAnsweringPostprocessSettings = .init()) throws {
        guard settings.maxLength <= model.maxPositions else {
            throw TrainingError.invalidSetting("max length \(settings.maxLength) exceeds max_position_embeddings \(model.maxPositions)")
        }
        try settings.validate()
        guard postprocess.nBest >= 1, postprocess.maxAnswerLength >= 1 else {
            throw TrainingError.invalidSetting("n-best and max answer length must be ≥ 1")
        }
        if !postprocess.versionTwoWithNegative {
            for file in [train, eval].compactMap({ $0 }) {
                if let q = file.examples.first(where: \.isImpossible) {
                    throw FineTuningError.badFile(file: file.url.path, reason: "\(q.path) is unanswerable (is_impossible): "
                        + "SQuAD v2 data needs --version-2-with-negative")
                }
            }
        }
        reader = model
        // Start/end logits are read at context tokens only: the layers may skip padding.
        model.skipsPaddingPositions = true
        var t = tokenizer
        t.truncation = nil
        t.padding = nil
        self.tokenizer = t
        self.settings = settings
        self.postprocess = postprocess
        padId = t.id(for: "[PAD]") ?? model.padTokenId
        var truncated: [String] = []
        var skipped: [String] = []
        var trainFeatures: [QuestionAnsweringFeature] = []
        if let train {
            let kept = train.examples.filter { $0.answerMatchesContext }
            skipped = train.examples.filter { !$0.answerMatchesContext }.map(\.id)
            let made = try QuestionAnsweringFeatures.make(kept, tokenizer: t, settings: settings, file: train.url.path)
            trainFeatures = made.features
            truncated += made.truncatedQuestions
        }
        self.trainFeatures = trainFeatures
        skippedTrainingQuestions = skipped
        evalExamples = eval?.examples ?? []
        if let eval {
            let made = try QuestionAnsweringFeatures.make(eval.examples, tokenizer: t, settings: settings, file: eval.url.path)
            evalFeatures = made.features
            truncated += made.truncatedQuestions
        } else {
            evalFeatures = []
        }
        truncatedQuestions = truncated
    }

    public func trainingLoss(_ indices: [Int]) throws -> Tensor {
        let batch = indices.map { trainFeatures[$0] }
        let starts = IntTensor(batch.map(\.startPosition), shape: [batch.count])
        let ends = IntTensor(batch.map(\.endPosition), shape: [batch.count])
        return try reader.answerSpans(batch.map(\.encoding), padId: padId, startPositions: starts, endPositions: ends).loss!  // []
    }

    /// Start and end logits of every window, each row as long as its window, in evaluation mode
    /// without a graph, `evalBatchSize` windows at a time.
    public func logits(_ features: [QuestionAnsweringFeature]) throws -> (start: [[Float]], end: [[Float]]) {
        reader.eval()
        var starts: [[Float]] = [], ends: [[Float]] = []
        try withNoGrad {
            for first in stride(from: 0, to: features.count, by: evalBatchSize) {
                let chunk = Array(features[first..<min(first + evalBatchSize, features.count)])
                let out = try reader.answerSpans(chunk.map(\.encoding), padId: padId, startPositions: nil, endPositions: nil)  // [b, T]
                let t = out.startLogits.shape[1]
                let s = out.startLogits.toArray(), e = out.endLogits.toArray()
                for (r, f) in chunk.enumerated() {
                    starts.append(Array(s[(r * t)..<(r * t + f.encoding.count)]))
                    ends.append(Array(e[(r * t)..<(r * t + f.encoding.count)]))
                }
            }
        }
        return (starts, ends)
    }

    /// The answers to every question of `file`.
    /// - Throws: ``FineTuningError`` as the initialiser does for the file's questions.
    public func predict(_ file: SquadFile) throws -> [QuestionAnsweringPrediction] {
        let features = try QuestionAnsweringFeatures.make(file.examples, tokenizer: tokenizer, settings: settings, file: file.url.path).features
        let (s, e) = try logits(features)
        return QuestionAnsweringPostprocess.predict(examples: file.examples, features: features, startLogits: s, endLogits: e,
                                                    settings: postprocess)
    }

    /// The official metrics of `predictions` on `examples` (v2.0 when unanswerable questions
    /// take part, else v1.1).
    public func metrics(_ predictions: [QuestionAnsweringPrediction], examples: [SquadExample]) -> TaskEvaluation {
        SquadMetrics.evaluate(examples: examples, predictions: Dictionary(predictions.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a }),
                              version2: postprocess.versionTwoWithNegative)
    }

    public func evaluate() throws -> TaskEvaluation? {
        guard !evalFeatures.isEmpty else { return nil }
        let (s, e) = try logits(evalFeatures)
        return evaluation(starts: s, ends: e)
    }

    func evaluation(starts: [[Float]], ends: [[Float]]) -> TaskEvaluation {
        lastPredictions = QuestionAnsweringPostprocess.predict(examples: evalExamples, features: evalFeatures, startLogits: starts,
                                                               endLogits: ends, settings: postprocess)
        return metrics(lastPredictions, examples: evalExamples)
    }

    /// Evaluation windows (split across the processes of a data-parallel run).
    public var evaluationCount: Int { evalFeatures.count }

    /// Start then end logits of windows `range`, each padded with zeros to 2 · `maxLength`.
    public func evaluationOutputs(_ range: Range<Int>) throws -> [[Float]] {
        let (s, e) = try logits(Array(evalFeatures[range]))
        let m = settings.maxLength
        return zip(s, e).map { a, b in
            a + [Float](repeating: 0, count: m - a.count) + b + [Float](repeating: 0, count: m - b.count)
        }
    }

    public func evaluation(fromOutputs outputs: [[Float]]) throws -> TaskEvaluation? {
        guard !evalFeatures.isEmpty else { return nil }
        let m = settings.maxLength
        let starts = zip(outputs, evalFeatures).map { Array($0[0..<$1.encoding.count]) }
        let ends = zip(outputs, evalFeatures).map { Array($0[m..<(m + $1.encoding.count)]) }
        return evaluation(starts: starts, ends: ends)
    }

    /// Writes config.json, model.safetensors (HF names, the reader's architecture) and the
    /// tokenizer files.
    public func save(to directory: URL) throws {
        try reader.save(to: directory)
        if let tokenizerSource { try TokenizerFiles.copy(from: tokenizerSource, to: directory) }
    }
}
