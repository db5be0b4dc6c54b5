import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert classify`: run a fine-tuned sequence classifier on texts given on the command line.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify texts with a fine-tuned model: logits, softmax scores and the label by id2label.",
        discussion: """
            Prints one JSON object per text: {"text", "label", "score", "logits", "scores"} — the label is \
            id2label[argmax] of config.json, the scores the softmax of the logits (as the transformers \
            pipeline reports them). A regression model (num_labels 1) prints its value as "score".
            Example: bert classify --model sst2-run/model "a gorgeous, witty film" "a dull mess"
            """
    )

    @Option(help: "Fine-tuned HF model directory (BertForSequenceClassification or DistilBertForSequenceClassification).")
    var model: String
    @Option(help: "Second text of a pair, for every text.") var pair: String?
    @Option(help: "Maximum tokens per text, special tokens included.") var maxLength = 512
    @Argument(help: "Texts to classify.") var texts: [String]

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("give at least one text") }
        try FlagLimits.range("--max-length", maxLength, 3...FlagLimits.maxSequence)
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting {
            let classifier = try LoadedClassifier(model, maxLength: maxLength)
            let logits = try classifier.task.logits(try classifier.task.encode(texts, pairs: pair.map { p in texts.map { _ in p } }))
            for (text, row) in zip(texts, logits) {
                print(ClassifierOutput(row, labels: classifier.labels).json(text: text))
            }
        }
    }
}

/// A fine-tuned classifier loaded for prediction: the task wrapper and its label names.
struct LoadedClassifier {
    let task: SequenceClassificationTask
    let labels: [String]?

    init(_ path: String, maxLength: Int) throws {
        let source = try ModelSource(path)
        let loaded = try source.load()
        if let warning = loaded.warning { FileHandle.standardError.write(Data(("warning: " + warning + "\n").utf8)) }
        let regression = source.problemType == .regression || source.numLabels == 1
        let names = (0..<source.numLabels).map { source.id2label[$0] ?? "LABEL_\($0)" }
        task = try SequenceClassificationTask(model: loaded.model, tokenizer: try source.tokenizer(),
                                              scheme: regression ? .regression : .classes(names), train: nil, eval: nil,
                                              maxLength: min(maxLength, source.maxPositions))
        labels = regression ? nil : names
    }
}

/// Softmax scores and the arg-max label of one row of logits.
struct ClassifierOutput {
    let logits: [Float]
    let scores: [Double]
    let index: Int
    let labels: [String]?

    init(_ logits: [Float], labels: [String]?) {
        self.logits = logits
        self.labels = labels
        let m = Double(logits.max()!)
        let e = logits.map { exp(Double($0) - m) }
        let sum = e.reduce(0, +)
        scores = e.map { $0 / sum }
        index = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
    }

    var label: String { labels?[index] ?? "" }
    var score: Double { labels == nil ? Double(logits[0]) : scores[index] }

    func json(text: String?) -> String {
        var fields: [(String, MetricValue)] = []
        if let text { fields.append(("text", .string(text))) }
        if labels != nil { fields.append(("label", .string(label))) }
        fields.append(("score", .double(score)))
        let list = { (v: [Double]) in "[" + v.map { MetricValue.double($0).json }.joined(separator: ", ") + "]" }
        var out = "{" + fields.map { "\(MetricValue.string($0.0).json): \($0.1.json)" }.joined(separator: ", ")
        out += ", \"logits\": \(list(logits.map(Double.init)))"
        if labels != nil { out += ", \"scores\": \(list(scores))" }
        return out + "}"
    }
}
