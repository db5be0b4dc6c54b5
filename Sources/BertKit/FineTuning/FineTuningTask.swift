import Foundation
import TensorCore

/// A task's evaluation: its metrics in display order, one of them the one that decides the best
/// model.
public struct TaskEvaluation: Sendable {
    public var metrics: [(name: String, value: Double)]
    /// The name of the metric that decides "best" (e.g. `accuracy`, `f1`, `eval_loss`).
    public var primary: String
    /// True when a larger `primary` is better (false for losses).
    public var greaterIsBetter: Bool

    public init(metrics: [(name: String, value: Double)], primary: String, greaterIsBetter: Bool = true) {
        self.metrics = metrics
        self.primary = primary
        self.greaterIsBetter = greaterIsBetter
    }

    public subscript(name: String) -> Double? { metrics.first { $0.name == name }?.value }

    /// The primary metric's value.
    public var score: Double { self[primary] ?? .nan }

    /// `accuracy 0.8765  f1 0.8801`.
    public var text: String { metrics.map { "\($0.name) \(String(format: "%.4f", $0.value))" }.joined(separator: "  ") }
}

/// What ``FineTuningRun`` needs from a task (classification, tagging, QA, multiple choice).
///
/// ```swift
/// final class MyTask: FineTuningTask {
///     var model: any Module { classifier }
///     var trainCount: Int { examples.count }
///     func trainingLoss(_ indices: [Int]) throws -> Tensor { … }   // mean over the examples
///     func evaluate() throws -> TaskEvaluation? { … }
///     func save(to directory: URL) throws { … }
/// }
/// ```
public protocol FineTuningTask: AnyObject {
    /// The model being trained (for train/eval mode and the optimizer's parameters).
    var model: any Module { get }
    /// Training examples (or features) the data cursor draws from.
    var trainCount: Int { get }
    /// Mean loss over the training examples at `indices`, with a graph to the parameters.
    func trainingLoss(_ indices: [Int]) throws -> Tensor
    /// How many terms ``trainingLoss(_:)`` averages for `indices`: the examples (the default), or
    /// e.g. the labelled tokens of a tagging batch. Micro-batches and processes are weighted by
    /// it, so they give the loss and gradient of the one large batch.
    func lossWeight(_ indices: [Int]) -> Int
    /// The task metric on the evaluation data; nil when there is none.
    func evaluate() throws -> TaskEvaluation?
    /// Writes the model as an HF model directory (config with labels, weights, tokenizer files).
    func save(to directory: URL) throws
    /// Evaluation examples, when the evaluation can be split over the processes of a
    /// data-parallel run (0, the default: every process runs ``evaluate()`` whole).
    var evaluationCount: Int { get }
    /// The outputs of evaluation examples `range` (one row per example, the same width for all,
    /// e.g. logits), computed by the process that owns the range.
    func evaluationOutputs(_ range: Range<Int>) throws -> [[Float]]
    /// The task metric of every evaluation example's outputs, in order — the same figures as
    /// ``evaluate()``, which under MPI rank 0's gathered outputs reproduce exactly.
    func evaluation(fromOutputs outputs: [[Float]]) throws -> TaskEvaluation?
}

extension FineTuningTask {
    public func lossWeight(_ indices: [Int]) -> Int { indices.count }
    public var evaluationCount: Int { 0 }
    public func evaluationOutputs(_ range: Range<Int>) throws -> [[Float]] { [] }
    public func evaluation(fromOutputs outputs: [[Float]]) throws -> TaskEvaluation? { try evaluate() }
}

/// Copies the tokenizer files that exist in `source` into `destination` (so a fine-tuned model
/// directory is complete); returns the names copied.
public enum TokenizerFiles {
    public static let names = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    @discardableResult
    public static func copy(from source: URL, to destination: URL) throws -> [String] {
        var copied: [String] = []
        for name in names {
            let from = source.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: from.path) else { continue }
            let bytes = try Data(contentsOf: from)
            try AtomicFile.write(to: destination.appendingPathComponent(name).path) { try $0.write(Array(bytes)) }
            copied.append(name)
        }
        return copied
    }
}
