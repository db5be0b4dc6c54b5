import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert predict`: a fine-tuned model's predictions for every example of a file.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write a fine-tuned model's predictions for a file (and its metrics when the file is labelled).",
        discussion: """
            --task classify: a GLUE-style TSV (header names the columns; the label column may be absent). \
            Writes OUTPUT as TSV with the columns index, prediction, score (softmax probability of the \
            predicted class, or the regression value); with labels, prints the metrics as one JSON object.
            Example: bert predict --model sst2-run/model --input sst2/dev.tsv --output dev-predictions.tsv
            --task choice: a SWAG-style CSV or JSONL file (as `bert finetune choice` reads; the label may be \
            absent). Writes index, prediction (the index of the chosen ending), score (its softmax probability \
            over the endings); with labels, prints accuracy and loss as one JSON object.
            Example: bert predict --task choice --model swag-run/model --input swag/val.csv --output val-predictions.tsv
            """
    )

    @Option(help: "Fine-tuned HF model directory.") var model: String
    @Option(help: "Task of the model: classify, choice.") var task = "classify"
    @Option(help: "Input file.") var input: String
    @Option(help: "Where to write the predictions.") var output: String
    @Option(help: "Maximum tokens per example, special tokens included.") var maxLength = 128
    @Option(help: "Text column (default: found from the header).") var textColumn: String?
    @Option(help: "Second text column of a pair task.") var pairColumn: String?
    @Option(help: "Label column.") var labelColumn = "label"

    func validate() throws {
        guard ["classify", "choice"].contains(task) else { throw ValidationError("--task must be classify or choice, got \(task)") }
        try FlagLimits.range("--max-length", maxLength, 3...FlagLimits.maxSequence)
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting {
            if task == "choice" { return try predictChoice() }
            let classifier = try LoadedClassifier(model, maxLength: maxLength)
            let file = try ClassificationFile(url: URL(fileURLWithPath: input), textColumn: textColumn,
                                              pairColumn: pairColumn, labelColumn: labelColumn)
            let t = classifier.task
            let logits = try t.logits(try t.encode(file.examples.map(\.text),
                                                   pairs: file.pairColumn == nil ? nil : file.examples.map { $0.pair ?? "" }))
            var text = "index\tprediction\tscore\n"
            for (k, row) in logits.enumerated() {
                let out = ClassifierOutput(row, labels: classifier.labels)
                text += "\(k)\t\(classifier.labels == nil ? String(out.score) : out.label)\t\(out.score)\n"
            }
            try AtomicFile.write(to: output) { try $0.write(Array(text.utf8)) }
            if file.labelColumn != nil {
                let targets = try file.examples.map { try t.scheme.target(for: $0, file: file.url.path) }
                let e = SequenceClassificationTask.metrics(logits: logits, targets: targets, scheme: t.scheme)
                print("{" + e.metrics.map { "\"\($0.name)\": \(MetricValue.double($0.value).json)" }.joined(separator: ", ") + "}")
            }
        }
    }
}
