import Foundation
import TensorCore
import Tokenization

/// Sentence (pair) classification or regression with a ``SequenceClassifierModel``
/// (`BertForSequenceClassification` or `DistilBertForSequenceClassification`): GLUE-style
/// files tokenised once (`[CLS] A [SEP] B [SEP]`, longest-first truncation to `maxLength`),
/// batches padded to their longest row, metrics accuracy / F1 / Matthews (classes) or Pearson /
/// Spearman (regression).
///
/// ```swift
/// let task = try SequenceClassificationTask(model: loaded.model, tokenizer: tokenizer, scheme: scheme,
///                                           train: trainFile, eval: devFile, maxLength: 64)
/// let logits = try task.logits(try task.encode(["a gorgeous film"]))    // [1, C]
/// ```
public final class SequenceClassificationTask: FineTuningTask {
    public let classifier: any SequenceClassifierModel
    public let tokenizer: BertTokenizer
    public let scheme: LabelScheme
    public let maxLength: Int
    public var evalBatchSize = 64
    /// Tokenizer files copied next to the saved weights (the source model directory).
    public var tokenizerSource: URL?
    let trainEncodings: [Encoding]
    let trainTargets: [LabelScheme.Target]
    let evalEncodings: [Encoding]
    let evalTargets: [LabelScheme.Target]
    let padId: Int

    public var model: any Module { classifier }
    public var trainCount: Int { trainEncodings.count }

    /// - Throws: ``FineTuningError`` naming file and line for a bad label; tokenizer errors.
    public init(model: any SequenceClassifierModel, tokenizer: BertTokenizer, scheme: LabelScheme,
                train: ClassificationFile?, eval: ClassificationFile?, maxLength: Int) throws {
        guard maxLength >= 3 else { throw TrainingError.invalidSetting("max length \(maxLength) is below 3") }
        guard maxLength <= model.maxPositions else {
            throw TrainingError.invalidSetting("max length \(maxLength) exceeds max_position_embeddings \(model.maxPositions)")
        }
        guard model.numLabels == scheme.count else {
            throw FineTuningError.modelMismatch("the classifier has \(model.numLabels) outputs, the labels need \(scheme.count)")
        }
        classifier = model
        // Only token 0 is read: the layers may skip padding (GLUE-style batches are mostly padding).
        model.skipsPaddingPositions = true
        var t = tokenizer
        t.truncation = Truncation(maxLength: maxLength)
        t.padding = nil
        self.tokenizer = t
        self.scheme = scheme
        self.maxLength = maxLength
        padId = t.id(for: "[PAD]") ?? model.padTokenId
        func load(_ file: ClassificationFile?) throws -> ([Encoding], [LabelScheme.Target]) {
            guard let file else { return ([], []) }
            let targets = try file.examples.map { try scheme.target(for: $0, file: file.url.path) }
            return (try Self.encode(file.examples, tokenizer: t), targets)
        }
        (trainEncodings, trainTargets) = try load(train)
        (evalEncodings, evalTargets) = try load(eval)
    }

    static func encode(_ examples: [ClassificationExample], tokenizer: BertTokenizer) throws -> [Encoding] {
        if examples.contains(where: { $0.pair != nil }) {
            return try tokenizer.encodeBatch(pairs: examples.map { ($0.text, $0.pair ?? "") })
        }
        return try tokenizer.encodeBatch(examples.map(\.text))
    }

    /// Tokenises texts (or pairs) as the task does.
    public func encode(_ texts: [String], pairs: [String]? = nil) throws -> [Encoding] {
        try Self.encode(texts.enumerated().map { ClassificationExample(line: $0.offset + 1, text: $0.element, pair: pairs?[$0.offset]) },
                        tokenizer: tokenizer)
    }

    func labels(_ targets: [LabelScheme.Target]) -> SequenceLabels {
        if case .regression = scheme {
            return .values(Tensor(targets.map { Float($0.value) }, shape: [targets.count]))
        }
        return .classes(IntTensor(targets.map(\.classIndex), shape: [targets.count]))
    }

    public func trainingLoss(_ indices: [Int]) throws -> Tensor {
        return try classifier.classify(indices.map { trainEncodings[$0] }, padId: padId,
                                       labels: labels(indices.map { trainTargets[$0] })).loss!
    }

    /// Logits [N, C] of `encodings`, in evaluation mode without a graph, `evalBatchSize` at a time.
    public func logits(_ encodings: [Encoding]) throws -> [[Float]] {
        classifier.eval()
        var rows: [[Float]] = []
        try withNoGrad {
            for start in stride(from: 0, to: encodings.count, by: evalBatchSize) {
                let chunk = Array(encodings[start..<min(start + evalBatchSize, encodings.count)])
                let out = try classifier.classify(chunk, padId: padId, labels: nil)  // logits [N, C]
                let c = out.logits.shape[1], values = out.logits.toArray()
                for r in 0..<chunk.count { rows.append(Array(values[(r * c)..<((r + 1) * c)])) }
            }
        }
        return rows
    }

    public func evaluate() throws -> TaskEvaluation? {
        guard !evalEncodings.isEmpty else { return nil }
        return Self.metrics(logits: try logits(evalEncodings), targets: evalTargets, scheme: scheme)
    }

    public var evaluationCount: Int { evalEncodings.count }

    /// Logits of evaluation examples `range`.
    public func evaluationOutputs(_ range: Range<Int>) throws -> [[Float]] { try logits(Array(evalEncodings[range])) }

    public func evaluation(fromOutputs outputs: [[Float]]) throws -> TaskEvaluation? {
        guard !evalEncodings.isEmpty else { return nil }
        return Self.metrics(logits: outputs, targets: evalTargets, scheme: scheme)
    }

    /// The task metrics of `logits` against `targets` (GLUE's: accuracy, F1 for two classes or
    /// macro F1, Matthews; Pearson, Spearman and their mean for regression) and the mean loss.
    public static func metrics(logits: [[Float]], targets: [LabelScheme.Target], scheme: LabelScheme) -> TaskEvaluation {
        switch scheme {
        case .regression:
            let p = logits.map { Double($0[0]) }
            let y = targets.map(\.value)
            let r = ClassificationMetrics.pearson(p, y), s = ClassificationMetrics.spearman(p, y)
            var squares = 0.0
            for (a, b) in zip(p, y) { squares += (a - b) * (a - b) }
            let mse = squares / Double(p.count)
            return TaskEvaluation(metrics: [("pearson", r), ("spearmanr", s), ("combined_score", (r + s) / 2), ("loss", mse)],
                                  primary: "combined_score")
        case let .classes(names):
            let predictions = logits.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! }
            let labels = targets.map(\.classIndex)
            var loss = 0.0
            for (row, l) in zip(logits, labels) {
                let m = Double(row.max()!)
                let lse = m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
                loss += lse - Double(row[l])
            }
            let f1 = names.count == 2 ? ClassificationMetrics.f1(predictions: predictions, labels: labels)
                : ClassificationMetrics.macroF1(predictions: predictions, labels: labels)
            return TaskEvaluation(metrics: [("accuracy", ClassificationMetrics.accuracy(predictions: predictions, labels: labels)),
                                            ("f1", f1), ("matthews", ClassificationMetrics.matthews(predictions: predictions, labels: labels)),
                                            ("loss", loss / Double(labels.count))], primary: "accuracy")
        }
    }

    /// Writes config.json (with `id2label`/`label2id`), model.safetensors and the tokenizer files.
    public func save(to directory: URL) throws {
        try classifier.save(to: directory, labels: scheme)
        if let tokenizerSource { try TokenizerFiles.copy(from: tokenizerSource, to: directory) }
    }
}
