import ArgumentParser
import BertKit
import Foundation
import Tokenization

/// `bert pretraining-data`: raw text → BERT pretraining instances (shards or JSON lines).
struct PretrainingDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretraining-data",
        abstract: "Create BERT pretraining instances (masked LM + next sentence) from raw text.",
        discussion: """
            Input: one sentence per line, a blank line between documents (google-research/bert's format); \
            files or directories; invalid UTF-8 bytes are replaced. --split-sentences treats each line as a \
            paragraph and splits it into sentences first.
            --google-compatible reproduces create_pretraining_data.py instance for instance (same vocabulary, \
            seed and flags) and holds the corpus in memory as the script does; otherwise the corpus streams \
            in blocks of about 1M tokens with bounded memory. --format shards writes a directory of \
            memory-mapped shard files (shard-00000.bkpt, …) for training; --format jsonl one JSON object per \
            instance (tokens, segment_ids, is_random_next, masked_lm_positions, masked_lm_labels).
            Example: bert pretraining-data --vocab vocab.txt --input corpus/ --output data --whole-word-mask
            """
    )

    @Option(help: "vocab.txt (must contain [CLS], [SEP], [MASK]).") var vocab: String
    @Option(parsing: .upToNextOption, help: "Input files or directories.") var input: [String]
    @Option(help: "Output directory (shards) or file (jsonl).") var output: String
    @Option(help: "shards or jsonl.") var format: String = "shards"
    @Flag(help: "Reproduce google-research/bert's script exactly (whole corpus in memory).")
    var googleCompatible = false
    @Option(help: "Random seed (the script's random_seed).") var seed: Int = 12345
    @Option(help: "Tokens per instance including [CLS] and [SEP]s.") var maxSeqLength: Int = 128
    @Option(help: "Masked positions per instance.") var maxPredictions: Int = 20
    @Option(help: "Masked LM probability.") var maskedLmProb: Double = 0.15
    @Option(help: "Probability of a shorter target length.") var shortSeqProb: Double = 0.1
    @Option(help: "Passes over the data, each with fresh masks.") var dupeFactor: Int = 10
    @Flag(help: "Mask all pieces of a word together.") var wholeWordMask = false
    @Flag(help: "Lines are paragraphs: split them into sentences.") var splitSentences = false
    @Flag(help: "Write instances without masks (masks drawn per batch at training time).")
    var dynamicMasking = false

    func validate() throws {
        guard format == "shards" || format == "jsonl" else {
            throw ValidationError("--format must be shards or jsonl, got \(format)")
        }
        guard !input.isEmpty else { throw ValidationError("--input needs at least one path") }
    }

    func run() throws {
        var settings = PretrainingSettings()
        settings.seed = seed
        settings.maxSeqLength = maxSeqLength
        settings.maxPredictions = maxPredictions
        settings.maskedLMProbability = maskedLmProb
        settings.shortSeqProbability = shortSeqProb
        settings.dupeFactor = dupeFactor
        settings.wholeWordMask = wholeWordMask
        settings.staticMasking = !dynamicMasking
        try settings.validate()

        // Everything that can be checked is checked before any work.
        let vocabulary = try Vocabulary(contentsOf: URL(fileURLWithPath: vocab))
        let tables = try PretrainingVocabulary(vocabulary: vocabulary, source: vocab)
        let tokenizer = try BertTokenizer(vocabulary: vocabulary, source: vocab).googleFullTokenizer()
        let files = try CorpusFiles.expand(input)
        let pipeline = try PretrainingDataPipeline(settings: settings, vocabulary: tables,
                                                   googleCompatible: googleCompatible)
        let stream = DocumentStream(files: files, tokenizer: tokenizer,
                                    splitter: splitSentences ? SentenceSplitter() : nil)
        let sink: any InstanceSink = format == "jsonl"
            ? try InstanceJSONLinesWriter(path: output, vocabulary: tables)
            : try ShardSetWriter(directory: output, maxSeqLength: maxSeqLength, maxPredictions: maxPredictions,
                                 staticallyMasked: !dynamicMasking,
                                 vocabularyChecksum: VocabularyChecksum.of(vocabulary))

        let progress = ProgressLine()
        let summary = try pipeline.run(stream: stream, sink: sink) { progress.update($0, final: false) }
        progress.update(summary, final: true)
    }
}

/// The stderr progress line: documents, instances, MB/s, ETA (at most twice a second).
final class ProgressLine {
    private let start = Date()
    private var last = Date.distantPast

    func update(_ p: PretrainingDataPipeline.Progress, final: Bool) {
        let now = Date()
        guard final || now.timeIntervalSince(last) >= 0.5 else { return }
        last = now
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(p.bytesRead) / elapsed
        let remaining = rate > 0 ? Double(max(0, p.totalBytes - p.bytesRead)) / rate : 0
        let eta = final ? "done in \(Self.clock(elapsed))" : "ETA \(Self.clock(remaining))"
        let line = String(format: "\rdocuments %d, instances %d, %.1f MB/s, %@", p.documents, p.instances,
                          rate / 1e6, eta)
        FileHandle.standardError.write(Data((line + (final ? "\n" : "")).utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
