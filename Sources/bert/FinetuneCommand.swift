import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert finetune <task>`: fine-tune a pretrained encoder on a downstream task.
struct FinetuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune a pretrained model on a task and report the task's metric.",
        subcommands: [FinetuneClassifyCommand.self, FinetuneTagCommand.self, FinetuneQACommand.self, FinetuneChoiceCommand.self]
    )
}

/// `bert finetune classify`: sentence (pair) classification or regression on GLUE-style TSV.
struct FinetuneClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Sentence (pair) classification or regression on GLUE-style TSV files.",
        discussion: """
            The files have a header row naming the columns: label and sentence (or text, content), or a pair \
            such as sentence1/sentence2, question/sentence, premise/hypothesis. Labels come from the data \
            (sorted) unless the model's config.json names them (id2label); numbers with a fraction mean \
            regression. Metrics: accuracy, F1, Matthews (classes); Pearson, Spearman (regression). The \
            model is BERT, or DistilBERT when config.json says "model_type": "distilbert". The written \
            OUTPUT/model has id2label/label2id and loads in transformers as BertForSequenceClassification \
            (DistilBertForSequenceClassification).
            Example: bert finetune classify --model all-MiniLM-L6-v2 --train sst2/train.tsv --eval sst2/dev.tsv \
            --output sst2-run --epochs 1 --batch-size 32 --max-length 64 --warmup-ratio 0.1 --weight-decay 0.01
            """
    )

    @OptionGroup var options: FinetuneOptions
    @Option(help: "Text column (default: found from the header).") var textColumn: String?
    @Option(help: "Second text column of a pair task.") var pairColumn: String?
    @Option(help: "Label column.") var labelColumn = "label"

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting { try DistributedLaunch.run { mpi in
            let source = try ModelSource(options.model)
            let tokenizer = try source.tokenizer()
            let read = { (path: String) in
                try ClassificationFile(url: URL(fileURLWithPath: path), textColumn: textColumn, pairColumn: pairColumn,
                                       labelColumn: labelColumn)
            }
            var train = try read(options.train)
            if let n = options.trainLimit { train = train.prefix(n) }
            let eval = try options.eval.map(read)
            let scheme = try LabelScheme(training: train.examples, file: train.url.path, id2label: source.id2label,
                                         numLabels: source.numLabels, problemType: source.problemType)
            let loaded = try source.load(numLabels: scheme.count, seed: options.seed, scheme: scheme)
            if let warning = loaded.warning { DistributedLaunch.warn(warning) }
            let task = try SequenceClassificationTask(model: loaded.model, tokenizer: tokenizer, scheme: scheme, train: train,
                                                      eval: eval, maxLength: options.maxLength(forPositions: source.maxPositions))
            task.tokenizerSource = source.url
            let run = try options.run(task: task, mpi: mpi)
            let result = try run.train()
            var summary = "model written to \(run.output.appendingPathComponent("model").path)"
            if let result { summary += "; eval \(result.text)" }
            summary += String(format: "; %.1f training examples/s", run.trainingExamplesPerSecond)
            run.progress.message(summary)
        } }
    }
}
