import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert eval-pretrain`: held-out MLM loss, perplexity and accuracies of a pretrained model on
/// statically masked instances, refusing a vocabulary that differs from the model's.
struct EvalPretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-pretrain",
        abstract: "MLM loss, perplexity, MLM and NSP accuracy of a model on held-out instances (one JSON object).",
        discussion: """
            --data is an instances .jsonl file with fixed masks (bert pretraining-data --format jsonl), statically \
            masked shards (a directory of .bkpt files or one file), or raw text masked once with seed 12345, so \
            the figure is reproducible. Shards record the vocabulary they were prepared with: another one than \
            the model's is refused. Perplexity is exp of the MLM loss averaged over every masked token. The \
            instances' tokens are looked up in the model's own vocab.txt; --vocab (the vocabulary the data \
            was prepared with) must be identical to it, else the command refuses to run.
            Example: bert eval-pretrain --model run/model --data heldout.jsonl
            """
    )

    @Option(help: "HF model directory (config.json, model.safetensors, vocab.txt).") var model: String
    @Option(help: "Held-out data: instances .jsonl, static shards, or raw text.") var data: String
    @Option(help: "Sequence length for shards and raw text.") var maxSeqLength = 128
    @Option(help: "The vocabulary the data was prepared with (checked against the model's).") var vocab: String?
    @Option(help: "Instances per forward pass.") var batchSize = 32
    @Option(help: "Evaluate at most N instances.") var limit: Int?

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        do {
            let directory = try BertModelDirectory(URL(fileURLWithPath: model))
            let modelVocabulary = directory.url.appendingPathComponent("vocab.txt")
            guard FileManager.default.fileExists(atPath: modelVocabulary.path) else {
                throw TrainingError.vocabularyMismatch("\(modelVocabulary.path) is missing: the model's vocabulary is unknown")
            }
            let vocabulary = try Vocabulary(contentsOf: modelVocabulary)
            if let vocab {
                let given = try Vocabulary(contentsOf: URL(fileURLWithPath: vocab))
                if let line = (0..<max(given.count, vocabulary.count)).first(where: { given.token(for: $0) != vocabulary.token(for: $0) }) {
                    throw TrainingError.vocabularyMismatch(
                        "\(vocab) differs from the model's \(modelVocabulary.path) at line \(line + 1) "
                            + "(\(given.token(for: line) ?? "end of file") vs \(vocabulary.token(for: line) ?? "end of file")); "
                            + "evaluating with another tokenizer gives meaningless figures")
                }
            }
            guard vocabulary.count == directory.config.vocabSize else {
                throw TrainingError.vocabularyMismatch(
                    "\(modelVocabulary.path) has \(vocabulary.count) tokens, config.json says vocab_size \(directory.config.vocabSize)")
            }
            let bert = try directory.load(BertForPreTraining.self).model
            let source: any PretrainingBatchSource
            if try DataPaths.kind(data) == .jsonl {
                source = try InstanceLinesSource(url: URL(fileURLWithPath: data), vocabulary: vocabulary, sequenceLength: nil)
            } else {
                let tables = try PretrainingVocabulary(vocabulary: vocabulary, source: modelVocabulary.path)
                source = try DataPaths(vocabulary: vocabulary, tables: tables, vocabularyPath: modelVocabulary.path,
                                       sequenceLength: maxSeqLength).source(data, seed: 0, heldOut: true)
            }
            let e = try PretrainingEvaluator(batchSize: batchSize, limit: limit).evaluate(bert, on: source)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(e) + Data("\n".utf8))
        } catch let error as TrainingError {
            throw ValidationError("\(error)")
        }
    }
}
