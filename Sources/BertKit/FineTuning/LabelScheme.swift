import Foundation

/// How a classification task's label strings become targets: class ids through `label2id`, or
/// real values (regression, one output).
///
/// Built as `run_glue.py` does: labels that are all numbers with at least one non-integer mean
/// regression; otherwise the distinct labels, sorted (numerically when all are integers), are
/// the classes — unless the model's config already names its labels (a fine-tuned model), in
/// which case its `label2id` is used and every label must be in it (or be a class id written as
/// an integer when the names are not integers).
///
/// ```swift
/// let scheme = try LabelScheme(training: file.examples, file: file.url.path, config: config)
/// let target = try scheme.target(for: file.examples[0], file: file.url.path)   // .classIndex(1)
/// ```
public enum LabelScheme: Sendable, Equatable {
    /// Class names in id order (`id2label`).
    case classes([String])
    case regression

    public enum Target: Sendable, Equatable {
        case classIndex(Int)
        case value(Double)

        /// The class id (-100, ignored, for a value).
        public var classIndex: Int { if case let .classIndex(i) = self { return i } else { return -100 } }
        /// The regression value (the class id for a class).
        public var value: Double {
            switch self {
            case let .value(v): return v
            case let .classIndex(i): return Double(i)
            }
        }
    }

    /// Labels the model's config already carries, or nil when they are HF's defaults `LABEL_0…`.
    public static func namedLabels(_ config: BertConfig) -> [String]? {
        namedLabels(id2label: config.id2label, count: config.numLabels)
    }

    /// Names `id2label` gives labels `0..<count`, or nil when they are HF's defaults `LABEL_0…`.
    public static func namedLabels(id2label: [Int: String], count: Int) -> [String]? {
        let names = (0..<count).map { id2label[$0] ?? "LABEL_\($0)" }
        return names == (0..<count).map { "LABEL_\($0)" } ? nil : names
    }

    /// The scheme of `examples` (every one labelled) for a model with `config`.
    /// - Throws: ``FineTuningError`` naming `file` and the line of the first unlabelled example,
    ///   or of a label that is not in the model's `label2id`.
    public init(training examples: [ClassificationExample], file: String, config: BertConfig) throws {
        try self.init(training: examples, file: file, id2label: config.id2label, numLabels: config.numLabels,
                      problemType: config.problemType)
    }

    /// The scheme of `examples` for a model whose config has these labels and problem type
    /// (any architecture: BERT, DistilBERT).
    public init(training examples: [ClassificationExample], file: String, id2label: [Int: String], numLabels: Int,
                problemType: ProblemType?) throws {
        var labels: [String] = []
        for e in examples {
            guard let l = e.label else { throw FineTuningError.badLine(file: file, line: e.line, reason: "no label") }
            labels.append(l)
        }
        if problemType == .regression
            || (labels.allSatisfy { Double($0) != nil } && labels.contains { Int($0) == nil }) {
            self = .regression
            return
        }
        if let named = Self.namedLabels(id2label: id2label, count: numLabels) {
            self = .classes(named)
            for e in examples { _ = try target(for: e, file: file) }
            return
        }
        let distinct = Array(Set(labels))
        if distinct.allSatisfy({ Int($0) != nil }) {
            self = .classes(distinct.sorted { Int($0)! < Int($1)! })
        } else {
            self = .classes(distinct.sorted())
        }
    }

    public var count: Int {
        switch self {
        case let .classes(names): return names.count
        case .regression: return 1
        }
    }

    /// The target of one labelled example.
    /// - Throws: ``FineTuningError/badLine(file:line:reason:)`` for a missing label, a label not
    ///   among the classes, or a regression label that is not a number.
    public func target(for example: ClassificationExample, file: String) throws -> Target {
        guard let label = example.label else {
            throw FineTuningError.badLine(file: file, line: example.line, reason: "no label")
        }
        switch self {
        case let .classes(names):
            if let i = names.firstIndex(of: label) { return .classIndex(i) }
            // A model whose labels have names (NEGATIVE/POSITIVE) on data that writes class ids (0/1).
            if let i = Int(label), names.indices.contains(i), !names.contains(where: { Int($0) != nil }) {
                return .classIndex(i)
            }
            throw FineTuningError.badLine(file: file, line: example.line,
                                          reason: "label \"\(label)\" is not in label2id \(names)")
        case .regression:
            guard let v = Double(label), v.isFinite else {
                throw FineTuningError.badLine(file: file, line: example.line, reason: "regression label \"\(label)\" is not a number")
            }
            return .value(v)
        }
    }

    /// `config` with this scheme's labels (`id2label`, `label2id`, problem type).
    public func apply(to config: inout BertConfig) {
        switch self {
        case let .classes(names):
            config.numLabels = names.count
            config.id2label = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset, $0.element) })
            config.label2id = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
            config.problemType = .singleLabelClassification
        case .regression:
            config.numLabels = 1
            config.problemType = .regression
        }
    }

    /// The same for a DistilBERT config (which keeps `label2id` implied by `id2label`).
    public func apply(to config: inout DistilBertConfig) {
        switch self {
        case let .classes(names):
            config.id2label = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset, $0.element) })
            config.problemType = .singleLabelClassification
        case .regression:
            config.numLabels = 1
            config.problemType = .regression
        }
    }
}
