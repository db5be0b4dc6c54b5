import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert demo`: what the library does with real weights (all-MiniLM-L6-v2).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Sentence similarity and contextual word vectors with all-MiniLM-L6-v2.",
        discussion: """
            Without --model, the demo uses $BERT_MINILM_DIR when set, else .cache/models/all-MiniLM-L6-v2 \
            in the swift-bert checkout this binary was built from (filled by `bash Scripts/fetch_minilm.sh`; \
            Scripts/minilm_demo.sh does it for you), whatever the current directory.
            """
    )

    @Option(help: "Model directory (config.json, model.safetensors, vocab.txt or tokenizer.json).")
    var model: String?

    static let sentences = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The girl is carrying a baby.",
        "A woman is holding an infant.",
        "The stock market fell sharply today.",
        "Share prices dropped in early trading.",
    ]

    static let contexts = [
        "I deposited my paycheck at the bank.",
        "The bank approved my mortgage application.",
        "We had a picnic on the river bank.",
        "Fish gathered near the muddy bank of the stream.",
    ]

    /// The checkout's model cache, found from this source file's path at build time.
    static let cachedModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".cache/models/all-MiniLM-L6-v2").path

    /// --model, else $BERT_MINILM_DIR, else the checkout's cache; an error naming the place
    /// looked at when it is not a directory.
    static func modelDirectory(option: String?, environment: [String: String]) throws -> String {
        var isDirectory: ObjCBool = false
        if let option {
            guard FileManager.default.fileExists(atPath: option, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError(message: "--model \(option): no such directory")
            }
            return option
        }
        let (path, source) = environment["BERT_MINILM_DIR"].map { ($0, "$BERT_MINILM_DIR") }
            ?? (cachedModel, "the checkout's model cache")
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(message: "no model directory at \(path) (\(source)): pass --model DIR, or run "
                + "`bash Scripts/fetch_minilm.sh` in the swift-bert checkout")
        }
        return path
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        let model = try Self.modelDirectory(option: model, environment: ProcessInfo.processInfo.environment)
        let start = Date()
        let (bert, tokenizer) = try loadEncoder(directory: model)
        print("Loaded \(model): \(bert.shapeDescription), \(bert.parameterCount) parameters (\(String(format: "%.2f", Date().timeIntervalSince(start))) s)")

        // 1. Sentence similarity: mean pooling, L2-normalised, cosine = dot product.
        let vectors = try bert.sentenceEmbeddings(Self.sentences, tokenizer: tokenizer, maxLength: 128,
                                                  pooling: .mean, normalize: true)
        print("\nSentence similarity (cosine of mean-pooled embeddings):")
        for (i, s) in Self.sentences.enumerated() {
            var best = (-2 as Float, 0)
            for j in Self.sentences.indices where j != i {
                let cos = zip(vectors[i], vectors[j]).reduce(0) { $0 + $1.0 * $1.1 }
                if cos > best.0 { best = (cos, j) }
            }
            print("  \(s.padding(toLength: 40, withPad: " ", startingAt: 0)) ↔ \(Self.sentences[best.1])  "
                + String(format: "%.3f", best.0))
        }

        // 2. The same word in different contexts: last hidden state of the token "bank".
        print("\nContextual vectors of \"bank\" (cosine between its last hidden states):")
        let bankID = try tokenIds(tokenizer, "bank", maxLength: 8)[1]
        var bankVectors: [[Float]] = []
        for text in Self.contexts {
            let seq = try tokenIds(tokenizer, text, maxLength: 128)
            let one = Encoding(ids: seq, typeIds: [Int](repeating: 0, count: seq.count),
                               attentionMask: [Int](repeating: 1, count: seq.count))
            let h = try bert.lastHiddenStates([one]).contiguous().toArray()  // [1, T, H]
            guard let pos = seq.firstIndex(of: bankID) else { continue }
            var v = Array(h[(pos * bert.hiddenSize)..<((pos + 1) * bert.hiddenSize)])
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / n }
            bankVectors.append(v)
        }
        print("  " + String(repeating: " ", count: 52) + "  [1]    [2]    [3]    [4]")
        for (i, text) in Self.contexts.enumerated() where i < bankVectors.count {
            let row = bankVectors.map { w in String(format: "%.3f", zip(bankVectors[i], w).reduce(0) { $0 + $1.0 * $1.1 }) }
            print("  [\(i + 1)] \(text.padding(toLength: 48, withPad: " ", startingAt: 0)) " + row.joined(separator: "  "))
        }
        guard bankVectors.count == Self.contexts.count else { return }
        // Contexts 0 and 1 are about money, 2 and 3 about rivers: compare the average cosine of
        // pairs with the same sense to pairs with different senses (computed, not assumed).
        let cos = { (i: Int, j: Int) in zip(bankVectors[i], bankVectors[j]).reduce(0) { $0 + $1.0 * $1.1 } }
        let same = (cos(0, 1) + cos(2, 3)) / 2
        let different = (cos(0, 2) + cos(0, 3) + cos(1, 2) + cos(1, 3)) / 4
        print(String(format: "\n  same sense (money–money, river–river): mean cosine %.3f", same))
        print(String(format: "  different senses (money–river):        mean cosine %.3f", different))
        print(same > different
            ? "  The vectors of \"bank\" depend on the context: same-sense uses are closer."
            : "  Here the context did not separate the two senses of \"bank\".")
    }
}
