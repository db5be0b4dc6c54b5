import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert finetune tag`: token classification (NER, chunking, POS) on CoNLL column files.
struct FinetuneTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Token classification (NER, chunking, POS tagging) on CoNLL column files.",
        discussion: """
            The files have one token per line with its columns separated by spaces or tabs: the token first, \
            the tag last (or --tag-column); a blank line ends a sentence; -DOCSTART- lines are skipped. Tags \
            come from the training data (sorted, as transformers' run_ner.py) unless the model's config.json \
            names them (id2label). Each word's tag is learnt on its first sub-token. Metrics (seqeval, \
            conlleval-compatible): entity precision, recall, F1 (the metric that picks the best model), token \
            accuracy, and per entity type. Words with no token — cut off by --max-length, or empty after \
            normalisation — count as predicted O (--words-without-token O) or are left out as run_ner.py does \
            (skip). The model is BERT, or DistilBERT when config.json says "model_type": "distilbert". \
            The written OUTPUT/model has id2label/label2id and loads in transformers as \
            BertForTokenClassification (DistilBertForTokenClassification).
            Example: bert finetune tag --model all-MiniLM-L6-v2 --train conll2003/train.txt --eval \
            conll2003/valid.txt --output ner-run --epochs 3 --batch-size 32 --lr 5e-5 --max-length 128
            """
    )

    @OptionGroup var options: FinetuneOptions
    @Option(help: "Column of the tag, 0-based (column 0 is the token; default: the last column).") var tagColumn: Int?
    @Option(help: "How words with no token are scored: O (predicted O) or skip (left out, as run_ner.py).")
    var wordsWithoutToken = "O"

    func validate() throws {
        if let tagColumn { try FlagLimits.range("--tag-column", tagColumn, 1...1 << 20) }
        guard TokenClassificationTask.WordsWithoutToken(rawValue: wordsWithoutToken) != nil else {
            throw ValidationError("--words-without-token must be O or skip, got \(wordsWithoutToken)")
        }
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        try FinetuneOptions.reporting { try DistributedLaunch.run { mpi in
            let source = try ModelSource(options.model)
            let tokenizer = try source.tokenizer()
            let read = { (path: String) in try CoNLLFile(url: URL(fileURLWithPath: path), tagColumn: tagColumn) }
            var train = try read(options.train)
            if let n = options.trainLimit { train = train.prefix(n) }
            let eval = try options.eval.map(read)
            let tags = try TagScheme(training: train, id2label: source.id2label, numLabels: source.numLabels)
            let loaded = try source.loadTokenClassifier(tags: tags, seed: options.seed)
            if let warning = loaded.warning { DistributedLaunch.warn(warning) }
            let task = try TokenClassificationTask(model: loaded.model, tokenizer: tokenizer, tags: tags, train: train,
                                                   eval: eval, maxLength: options.maxLength(forPositions: source.maxPositions))
            task.tokenizerSource = source.url
            task.wordsWithoutToken = TokenClassificationTask.WordsWithoutToken(rawValue: wordsWithoutToken)!
            let run = try options.run(task: task, mpi: mpi)
            let result = try run.train()
            var summary = "model written to \(run.output.appendingPathComponent("model").path)"
            if let result {
                summary += "; eval " + ["precision", "recall", "f1", "accuracy", "loss"]
                    .map { "\($0) \(String(format: "%.4f", result[$0] ?? .nan))" }.joined(separator: "  ")
            }
            summary += String(format: "; %.1f training sentences/s", run.trainingExamplesPerSecond)
            run.progress.message(summary)
        } }
    }
}

/// `bert predict --task tag`: a fine-tuned tagger over a CoNLL file (tagged or words only).
enum TagPrediction {
    /// Writes `token<TAB>predicted tag` lines, a blank line between sentences (words with no
    /// token get O); returns the metrics as one JSON object when the file has tags.
    static func run(model: String, input: String, output: String, maxLength: Int, tagColumn: Int?) throws -> String? {
        let source = try ModelSource(model)
        let loaded = try source.loadTokenClassifier()
        if let warning = loaded.warning { FileHandle.standardError.write(Data(("warning: " + warning + "\n").utf8)) }
        let tags = TagScheme(names: (0..<source.numLabels).map { source.id2label[$0] ?? "LABEL_\($0)" })
        let task = try TokenClassificationTask(model: loaded.model, tokenizer: try source.tokenizer(), tags: tags,
                                               train: nil, eval: nil, maxLength: min(maxLength, source.maxPositions))
        let file = try CoNLLFile(url: URL(fileURLWithPath: input), tagColumn: tagColumn, requireTags: false)
        let predictions = try task.predict(try task.features(file.sentences, file: file.url.path))
        var text = ""
        for (k, (sentence, p)) in zip(file.sentences, predictions).enumerated() {
            if k > 0 { text += "\n" }
            for (word, tag) in zip(sentence.words, task.tagNames(p)) { text += "\(word)\t\(tag)\n" }
        }
        try AtomicFile.write(to: output) { try $0.write(Array(text.utf8)) }
        guard file.isTagged else { return nil }
        let e = task.evaluation(predictions, sentences: file.sentences)
        return "{" + e.metrics.map { "\(MetricValue.string($0.name).json): \(MetricValue.double($0.value).json)" }.joined(separator: ", ") + "}"
    }
}
