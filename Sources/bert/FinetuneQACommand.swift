import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert finetune qa`: extractive question answering on SQuAD v1.1 / v2.0 JSON files.
struct FinetuneQACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qa",
        abstract: "Extractive question answering (SQuAD v1.1 / v2.0 JSON): train, then answer the eval file.",
        discussion: """
            Each question is windowed as in transformers' run_qa.py: [CLS] question [SEP] context window [SEP], \
            --max-length tokens, consecutive windows overlapping by --doc-stride tokens (HF's convention; \
            Google's doc_stride is the step). Training: (CE(start) + CE(end)) / 2 per window, the [CLS] index \
            when the answer is not wholly inside. Evaluation: HF's postprocess_qa_predictions (n-best, max answer \
            length, v2 null threshold) and the official SQuAD metric (exact match and F1; v2 adds HasAns/NoAns). \
            The model is BERT, or DistilBERT when config.json says "model_type": "distilbert". \
            Writes OUTPUT/model (loads in transformers as BertForQuestionAnswering or \
            DistilBertForQuestionAnswering), OUTPUT/eval_results.json \
            and, for --eval, OUTPUT/predictions.json and OUTPUT/nbest_predictions.json (and null_odds.json \
            under --version-2-with-negative) from the written model. --batch-size counts windows, --train-limit \
            questions.
            Example: bert finetune qa --model all-MiniLM-L6-v2 --train train-v1.1.json --eval dev-v1.1.json \
            --output squad-run --epochs 2 --batch-size 12 --lr 3e-5 --max-length 384 --doc-stride 128
            """
    )

    @OptionGroup var options: FinetuneOptions
    @OptionGroup var qa: QuestionAnsweringOptions

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting { try DistributedLaunch.run { mpi in
            let source = try ModelSource(options.model)
            let tokenizer = try source.tokenizer()
            var train = try SquadFile(url: URL(fileURLWithPath: options.train))
            if let n = options.trainLimit { train = train.prefix(n) }
            let eval = try options.eval.map { try SquadFile(url: URL(fileURLWithPath: $0)) }
            let loaded = try source.loadQuestionAnswering(seed: options.seed)
            if let warning = loaded.warning { DistributedLaunch.warn(warning) }
            let task = try QuestionAnsweringTask(model: loaded.model, tokenizer: tokenizer, train: train, eval: eval,
                                                 settings: qa.settings(maxLength: options.maxLength(forPositions: source.maxPositions)),
                                                 postprocess: qa.postprocess)
            task.tokenizerSource = source.url
            let run = try options.run(task: task, mpi: mpi)
            for note in QuestionAnsweringOptions.notes(task) { run.progress.message(note) }
            let result = try run.train()
            let modelDirectory = run.output.appendingPathComponent("model")
            var summary = "model written to \(modelDirectory.path)"
            if let result { summary += "; eval \(result.text)" }
            summary += String(format: "; %.1f training examples/s", run.trainingExamplesPerSecond)
            if let eval, run.trainer.reducer?.isLeader ?? true {
                // Answers of the model that was written (the best one, or the last).
                let written = try ModelSource(modelDirectory.path).loadQuestionAnswering()
                let answering = try QuestionAnsweringTask(model: written.model, tokenizer: tokenizer, train: nil, eval: nil,
                                                          settings: task.settings, postprocess: task.postprocess)
                let files = try QuestionAnsweringPostprocess.write(try answering.predict(eval), to: run.output)
                summary += "; " + files.map(\.lastPathComponent).joined(separator: ", ") + " written"
            }
            run.progress.message(summary)
        } }
    }
}
