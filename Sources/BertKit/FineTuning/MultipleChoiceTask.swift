import Foundation
import TensorCore
import Tokenization

/// Multiple choice (SWAG) with a ``MultipleChoiceModel`` (`BertForMultipleChoice`,
/// `DistilBertForMultipleChoice`), as HF's `run_swag.py`: each of an
/// example's N endings is paired with its first sentence, `[CLS] context [SEP] header ending [SEP]`
/// (longest-first truncation to `maxLength`), the N·B sequences of a batch padded to their longest
/// (`DataCollatorForMultipleChoice`) into [B, N, T]; the loss is the cross-entropy over the N
/// scores; the metric is accuracy.
///
/// ```swift
/// let task = try MultipleChoiceTask(model: loaded.model, tokenizer: tokenizer, train: trainFile, eval: devFile,
///                                   maxLength: 80)
/// let scores = try task.logits(try task.encode(devFile.examples))   // N scores per example
/// ```
public final class MultipleChoiceTask: FineTuningTask {
    public let chooser: any MultipleChoiceModel
    public let tokenizer: BertTokenizer
    public let maxLength: Int
    /// Examples (of N sequences each) per evaluation forward.
    public var evalBatchSize = 16
    /// Tokenizer files copied next to the saved weights (the source model directory).
    public var tokenizerSource: URL?
    /// The N encodings of every training example.
    public let trainFeatures: [[Encoding]]
    let trainLabels: [Int]
    public let evalFeatures: [[Encoding]]
    let evalLabels: [Int]
    /// The id sequences are padded with (the tokenizer's `[PAD]`, else the model's `pad_token_id`).
    public let padId: Int

    public var model: any Module { chooser }
    public var trainCount: Int { trainFeatures.count }

    /// - Throws: ``FineTuningError`` naming the file when a training or evaluation file has no
    ///   labels; `TrainingError.invalidSetting` for a `maxLength` below 4 or above the model's
    ///   positions; tokenizer errors.
    public init(model: any MultipleChoiceModel, tokenizer: BertTokenizer, train: MultipleChoiceFile?,
                eval: MultipleChoiceFile?, maxLength: Int) throws {
        // [CLS] a [SEP] b [SEP]: a pair needs room for one token of each.
        guard maxLength >= 5 else { throw TrainingError.invalidSetting("max length \(maxLength) is below 5 (a pair needs 3 special tokens)") }
        guard maxLength <= model.maxPositions else {
            throw TrainingError.invalidSetting("max length \(maxLength) exceeds max_position_embeddings \(model.maxPositions)")
        }
        chooser = model
        // Each choice is scored from its [CLS] token: the layers may skip padding.
        model.skipsPaddingPositions = true
        var t = tokenizer
        t.truncation = Truncation(maxLength: maxLength)  // longest_first, as truncation=True
        t.padding = nil
        self.tokenizer = t
        self.maxLength = maxLength
        padId = t.id(for: "[PAD]") ?? model.padTokenId
        func load(_ file: MultipleChoiceFile?) throws -> ([[Encoding]], [Int]) {
            guard let file else { return ([], []) }
            guard file.isLabelled else {
                throw FineTuningError.badFile(file: file.url.path, reason: "has no labels: training and evaluation need the right ending of every example")
            }
            return (try Self.encode(file.examples, tokenizer: t), file.examples.map { $0.label! })
        }
        (trainFeatures, trainLabels) = try load(train)
        (evalFeatures, evalLabels) = try load(eval)
    }

    static func encode(_ examples: [MultipleChoiceExample], tokenizer: BertTokenizer) throws -> [[Encoding]] {
        let pairs = examples.flatMap { e in e.choices.map { (e.context, $0) } }
        let flat = try tokenizer.encodeBatch(pairs: pairs)
        var start = 0
        return examples.map { e in
            defer { start += e.endings.count }
            // HF drops the truncated remainder (no return_overflowing_tokens): so do we.
            return flat[start..<(start + e.endings.count)].map { var x = $0; x.overflowing = []; return x }
        }
    }

    /// The N encodings of every example, as the task tokenises them.
    public func encode(_ examples: [MultipleChoiceExample]) throws -> [[Encoding]] { try Self.encode(examples, tokenizer: tokenizer) }

    /// The model's output on training examples `indices`: logits [B, N] and the mean
    /// cross-entropy over the B examples, with a graph to the parameters.
    public func output(_ indices: [Int]) throws -> BertHeadOutput {
        try chooser.choose(indices.map { trainFeatures[$0] }, padId: padId,
                           labels: IntTensor(indices.map { trainLabels[$0] }, shape: [indices.count]))  // logits [B, N]
    }

    public func trainingLoss(_ indices: [Int]) throws -> Tensor { try output(indices).loss! }

    /// The N scores of every example of `features`, in evaluation mode without a graph,
    /// `evalBatchSize` examples at a time.
    public func logits(_ features: [[Encoding]]) throws -> [[Float]] {
        chooser.eval()
        var rows: [[Float]] = []
        try withNoGrad {
            for start in stride(from: 0, to: features.count, by: evalBatchSize) {
                let chunk = Array(features[start..<min(start + evalBatchSize, features.count)])
                let out = try chooser.choose(chunk, padId: padId, labels: nil)  // logits [B, N]
                let n = out.logits.shape[1], values = out.logits.toArray()  // [B, N]
                for r in 0..<chunk.count { rows.append(Array(values[(r * n)..<((r + 1) * n)])) }
            }
        }
        return rows
    }

    public func evaluate() throws -> TaskEvaluation? {
        guard !evalFeatures.isEmpty else { return nil }
        return Self.metrics(logits: try logits(evalFeatures), labels: evalLabels)
    }

    public var evaluationCount: Int { evalFeatures.count }

    /// The N scores of evaluation examples `range`.
    public func evaluationOutputs(_ range: Range<Int>) throws -> [[Float]] { try logits(Array(evalFeatures[range])) }

    public func evaluation(fromOutputs outputs: [[Float]]) throws -> TaskEvaluation? {
        guard !evalFeatures.isEmpty else { return nil }
        return Self.metrics(logits: outputs, labels: evalLabels)
    }

    /// The index of the largest score (the first of equal ones, as `numpy.argmax`).
    public static func prediction(_ row: [Float]) -> Int {
        row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
    }

    /// Accuracy (run_swag's metric, primary) and the mean cross-entropy of `logits` against `labels`.
    public static func metrics(logits: [[Float]], labels: [Int]) -> TaskEvaluation {
        var loss = 0.0
        for (row, l) in zip(logits, labels) {
            let m = Double(row.max()!)
            loss += m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) }) - Double(row[l])
        }
        let accuracy = ClassificationMetrics.accuracy(predictions: logits.map(prediction), labels: labels)
        return TaskEvaluation(metrics: [("accuracy", accuracy), ("loss", loss / Double(labels.count))], primary: "accuracy")
    }

    /// Writes config.json (the chooser's architecture), model.safetensors and the tokenizer files.
    public func save(to directory: URL) throws {
        try chooser.save(to: directory)
        if let tokenizerSource { try TokenizerFiles.copy(from: tokenizerSource, to: directory) }
    }
}
