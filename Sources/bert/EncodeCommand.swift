import ArgumentParser
import BertKit
import Foundation
import TensorCore

/// `bert encode`: one JSON vector per input line (sentence embeddings).
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode stdin lines into vectors: one JSON array of floats per line, in order.",
        discussion: """
            Lines are split on "\\n" bytes only (as `bert tokenize`); an empty line still gets a vector \
            ([CLS] [SEP]). Sequences are truncated to --max-length tokens (default: the model's \
            max_position_embeddings) and encoded in padded batches.
            Example: printf 'A man is eating.\\nA man eats.\\n' | bert encode --model DIR --pooling mean --normalize
            """
    )

    @Option(help: "Model directory (config.json, model.safetensors, vocab.txt or tokenizer.json).")
    var model: String
    @Option(help: "cls: the [CLS] last hidden state; mean: the mean over the attention mask.")
    var pooling: String = "cls"
    @Flag(help: "L2-normalise each vector.") var normalize = false
    @Option(help: "Maximum tokens per line including [CLS]/[SEP] (default: the model's maximum).")
    var maxLength: Int?
    @Option(help: "Lines per forward pass.") var batchSize: Int = 32

    func validate() throws {
        guard Pooling(rawValue: pooling) != nil else {
            throw ValidationError("--pooling must be cls or mean, got \(pooling)")
        }
        if let m = maxLength, m < 2 { throw ValidationError("--max-length must be at least 2, got \(m)") }
        guard (1...(1 << 16)).contains(batchSize) else {
            throw ValidationError("--batch-size must be in 1...65536, got \(batchSize)")
        }
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        let (bert, tokenizer) = try loadEncoder(directory: model)
        let lines = splitLines(FileHandle.standardInput.readDataToEndOfFile())
        let vectors = try bert.sentenceEmbeddings(lines, tokenizer: tokenizer, maxLength: maxLength,
                                                  pooling: Pooling(rawValue: pooling)!, normalize: normalize,
                                                  batchSize: batchSize)
        var out = ""
        for v in vectors {
            out += "[" + v.map { "\($0)" }.joined(separator: ",") + "]\n"
            if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// Splits stdin into lines on "\n" bytes only; a final "\n" ends the last line rather than
/// starting an empty one. Invalid UTF-8 is repaired (U+FFFD), as `String(decoding:)` does.
func splitLines(_ data: Data) -> [String] {
    if data.isEmpty { return [] }
    var parts = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    if data.last == 0x0A { parts.removeLast() }
    return parts.map { String(decoding: $0, as: UTF8.self) }
}
