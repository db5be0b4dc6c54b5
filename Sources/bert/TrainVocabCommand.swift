import ArgumentParser
import BertKit
import Foundation
import Tokenization

/// `bert train-vocab`: a WordPiece vocab.txt from the same inputs as `bert pretraining-data`.
struct TrainVocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-vocab",
        abstract: "Learn a WordPiece vocabulary (vocab.txt) from raw text files or directories.",
        discussion: """
            Words are counted batch by batch (memory grows with the number of distinct words, not the corpus), \
            then merged as Hugging Face's WordPieceTrainer does. The vocabulary starts with [PAD] [UNK] [CLS] \
            [SEP] [MASK]. Example: bert train-vocab --input corpus/ --output vocab.txt --vocab-size 30522
            """
    )

    @Option(parsing: .upToNextOption, help: "Input files or directories.") var input: [String]
    @Option(help: "The vocab.txt to write.") var output: String
    @Option(help: "Vocabulary size.") var vocabSize: Int = 30522
    @Option(help: "Minimum pair frequency to merge.") var minFrequency: Int = 2
    @Option(help: "Keep at most this many characters in the alphabet.") var limitAlphabet: Int = 1000
    @Flag(help: "Keep case and accents (default: lowercase, accents stripped).") var cased = false

    func validate() throws {
        guard !input.isEmpty else { throw ValidationError("--input needs at least one path") }
        guard vocabSize >= 5 else { throw ValidationError("--vocab-size must be at least 5") }
    }

    func run() throws {
        var trainer = WordPieceTrainer(vocabSize: vocabSize, minFrequency: minFrequency, limitAlphabet: limitAlphabet)
        trainer.normalizer = BertNormalizer(lowercase: !cased)
        let files = try CorpusFiles.expand(input)
        var counts: [[UInt8]: Int] = [:]   // exact bytes: Swift String == merges canonically equal words
        var lines: [String] = []
        func flush() {
            for (word, count) in trainer.wordCounts(lines: lines) { counts[Array(word.utf8), default: 0] += count }
            lines.removeAll(keepingCapacity: true)
        }
        for file in files {
            var reader = try LineReader(path: file.path, maxLineBytes: 1 << 22)
            while let line = try reader.nextLine() {
                lines.append(String(decoding: line, as: UTF8.self))
                if lines.count >= 100_000 { flush() }
            }
        }
        flush()
        let vocabulary = trainer.train(words: counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map { (String(decoding: $0.key, as: UTF8.self), $0.value) })
        do {
            try Data(vocabulary.vocabTxt().utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw PretrainingError.unwritableOutput(path: output, reason: "\(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(vocabulary.count) tokens to \(output)\n".utf8))
    }
}
