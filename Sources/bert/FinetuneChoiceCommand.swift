import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert finetune choice`: multiple choice (SWAG-style CSV or JSONL) with `BertForMultipleChoice`.
struct FinetuneChoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "choice",
        abstract: "Multiple choice (SWAG-style CSV or JSON Lines): pick the right ending of a sentence.",
        discussion: """
            CSV files have SWAG's columns (sent1, sent2, ending0…ending3, label; others are ignored; RFC 4180 \
            quoting); JSONL files have one object per line with the same keys or {"context", "endings": [...], \
            "label"}. Every example has the same number of endings; the label is the index of the right one. \
            Each ending is paired as run_swag.py does: [CLS] sent1 [SEP] sent2 ending [SEP], longest-first \
            truncation to --max-length. Metric: accuracy. The model is BERT, or DistilBERT when config.json \
            says "model_type": "distilbert". The written OUTPUT/model loads in transformers as \
            BertForMultipleChoice (DistilBertForMultipleChoice); `bert predict --task choice` runs it on a file.
            Example: bert finetune choice --model all-MiniLM-L6-v2 --train swag/train.csv --eval swag/val.csv \
            --output swag-run --epochs 1 --batch-size 16 --max-length 80 --lr 5e-5 --warmup-ratio 0.1
            """
    )

    @OptionGroup var options: FinetuneOptions

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting { try DistributedLaunch.run { mpi in
            let source = try ModelSource(options.model)
            let tokenizer = try source.tokenizer()
            var train = try MultipleChoiceFile(url: URL(fileURLWithPath: options.train))
            if let n = options.trainLimit { train = train.prefix(n) }
            let eval = try options.eval.map { try MultipleChoiceFile(url: URL(fileURLWithPath: $0)) }
            let loaded = try source.loadMultipleChoice(seed: options.seed)
            if let warning = loaded.warning { DistributedLaunch.warn(warning) }
            let task = try MultipleChoiceTask(model: loaded.model, tokenizer: tokenizer, train: train, eval: eval,
                                              maxLength: options.maxLength(forPositions: source.maxPositions))
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
