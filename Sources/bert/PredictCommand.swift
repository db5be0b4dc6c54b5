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
            --task tag: a CoNLL column file (token first; the tag last or --tag-column, or no tag column). \
            Writes OUTPUT as token<TAB>predicted tag lines, a blank line between sentences (a word cut off by \
            --max-length gets O); with tags, prints the entity metrics (seqeval) as one JSON object.
            --task qa: a SQuAD v1.1 / v2.0 JSON file with its answers (for the metrics); OUTPUT is a \
            directory that gets predictions.json and nbest_predictions.json (and null_odds.json under \
            --version-2-with-negative) in transformers' run_qa.py shape; prints the official exact match / F1.
            --task choice: a SWAG-style CSV or JSONL file (as `bert finetune choice` reads; the label may be \
            absent). Writes index, prediction (the index of the chosen ending), score (its softmax probability \
            over the endings); with labels, prints accuracy and loss as one JSON object.
            Example: bert predict --model sst2-run/model --input sst2/dev.tsv --output dev-predictions.tsv
            Example: bert predict --task tag --model ner-run/model --input conll2003/test.txt --output test-tags.txt
            Example: bert predict --task qa --model squad-run/model --input dev-v1.1.json --output dev-answers --max-length 384
            Example: bert predict --task choice --model swag-run/model --input swag/val.csv --output val-predictions.tsv
            """
    )

    @Option(help: "Fine-tuned HF model directory.") var model: String
    @Option(help: "Task of the model: classify, tag, qa or choice.") var task = "classify"
    @Option(help: "Input file.") var input: String
    @Option(help: "Where to write the predictions (a directory for qa).") var output: String
    @Option(help: "Maximum tokens per example, special tokens included.") var maxLength = 128
    @Option(help: "Text column (default: found from the header).") var textColumn: String?
    @Option(help: "Second text column of a pair task.") var pairColumn: String?
    @Option(help: "Label column.") var labelColumn = "label"
    @Option(help: "--task tag: column of the tag, 0-based (default: the last, if the file has more than one).") var tagColumn: Int?
    @OptionGroup(title: "Question answering (--task qa)") var qa: QuestionAnsweringOptions

    func validate() throws {
        guard ["classify", "tag", "qa", "choice"].contains(task) else { throw ValidationError("--task must be classify, tag, qa or choice, got \(task)") }
        if let tagColumn { try FlagLimits.range("--tag-column", tagColumn, 1...1 << 20) }
        try FlagLimits.range("--max-length", maxLength, 3...FlagLimits.maxSequence)
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting {
            if task == "qa" { return try answerQuestions() }
            if task == "tag" {
                if let metrics = try TagPrediction.run(model: model, input: input, output: output, maxLength: maxLength,
                                                       tagColumn: tagColumn) { print(metrics) }
                return
            }
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

    /// `--task qa`: answers for every question of the SQuAD file, and its metrics.
    func answerQuestions() throws {
        let source = try ModelSource(model)
        let loaded = try source.loadQuestionAnswering()
        if let warning = loaded.warning { FileHandle.standardError.write(Data(("warning: " + warning + "\n").utf8)) }
        let file = try SquadFile(url: URL(fileURLWithPath: input))
        let task = try QuestionAnsweringTask(model: loaded.model, tokenizer: try source.tokenizer(), train: nil, eval: file,
                                             settings: qa.settings(maxLength: min(maxLength, source.maxPositions)),
                                             postprocess: qa.postprocess)
        for note in QuestionAnsweringOptions.notes(task) { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        let predictions = try task.predict(file)
        try QuestionAnsweringPostprocess.write(predictions, to: URL(fileURLWithPath: output))
        let e = task.metrics(predictions, examples: file.examples)
        print("{" + e.metrics.map { "\"\($0.name)\": \(MetricValue.double($0.value).json)" }.joined(separator: ", ") + "}")
    }
}
