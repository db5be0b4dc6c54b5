import ArgumentParser
import Foundation
import Tokenization

/// `bert tokenize`: standard input lines → one JSON object per line, HF-exact, on all cores.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize standard input, one JSON object per line: {\"ids\",\"type_ids\",\"offsets\"}.",
        discussion: """
            Lines are split on the "\\n" byte only ("\\r", U+0085 and U+2028 are text). Offsets count \
            Unicode code points of the line (of each side for --pairs); special tokens are at [0,0]. \
            Invalid UTF-8 becomes U+FFFD. Truncation and padding declared in tokenizer.json are \
            ignored: nothing is truncated unless --max-length is given.
            """)

    @Option(name: .customLong("vocab"), help: "A vocab.txt (uncased unless --cased).")
    var vocabulary: String?

    @Option(name: .customLong("tokenizer"), help: "A tokenizer.json of a BERT-family model.")
    var tokenizerFile: String?

    @Flag(help: "Keep case and accents (with --tokenizer: turn the normalizer's lowercasing off).")
    var cased = false

    @Option(name: .customLong("max-length"), help: "Truncate to this many tokens, specials included.")
    var maxLength: Int?

    @Option(help: "longest_first (default), only_first or only_second; needs --max-length.")
    var truncation: String?

    @Flag(help: "Each line is first<TAB>second.")
    var pairs = false

    func validate() throws {
        if (vocabulary == nil) == (tokenizerFile == nil) {
            throw ValidationError("give exactly one of --vocab FILE or --tokenizer FILE")
        }
        if let truncation, Truncation.Strategy(rawValue: truncation) == nil {
            throw ValidationError("--truncation must be longest_first, only_first or only_second, not \"\(truncation)\"")
        }
        if truncation != nil && maxLength == nil {
            throw ValidationError("--truncation needs --max-length")
        }
        if let maxLength, maxLength < 0 {
            throw ValidationError("--max-length must be ≥ 0")
        }
    }

    func run() throws {
        var tokenizer: BertTokenizer
        do {
            if let vocabulary {
                tokenizer = try BertTokenizer(vocabularyFile: URL(fileURLWithPath: vocabulary), lowercase: !cased)
            } else {
                tokenizer = try BertTokenizer(tokenizerFile: URL(fileURLWithPath: tokenizerFile!))
                if cased {
                    var normalizer = tokenizer.normalizer
                    normalizer.lowercase = false
                    tokenizer = tokenizer.with(normalizer: normalizer)
                }
            }
        } catch let error as TokenizationError {
            throw CLIError(message: error.description)
        }
        tokenizer.padding = nil
        tokenizer.truncation = maxLength.map {
            Truncation(maxLength: $0, strategy: truncation.flatMap(Truncation.Strategy.init(rawValue:)) ?? .longestFirst)
        }
        let encoder = JSONLinesEncoder(tokenizer: tokenizer, pairs: pairs)
        try StreamLines.run(encoder: encoder)
    }
}

/// Reads standard input in large blocks, encodes the complete lines of each block in parallel
/// and writes the JSON in order.
enum StreamLines {
    static let blockSize = 8 << 20

    static func run(encoder: JSONLinesEncoder) throws {
        var pending: [UInt8] = []
        var line = 1
        var block = [UInt8](repeating: 0, count: blockSize)
        var eof = false
        while !eof {
            let got = block.withUnsafeMutableBytes { read(0, $0.baseAddress, blockSize) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CLIError(message: "cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if got == 0 { eof = true } else { pending += block[0..<got] }
            // Encode up to the last newline (everything at EOF), keep the partial line.
            let cut: Int
            if eof {
                cut = pending.count
            } else if pending.count >= blockSize, let last = pending.lastIndex(of: 0x0A) {
                cut = last + 1
            } else {
                continue
            }
            if cut == 0 { continue }
            let chunk = Array(pending[0..<cut])
            pending.removeSubrange(0..<cut)
            do {
                try chunk.withUnsafeBufferPointer { buffer in
                    try encoder.encode(buffer, firstLine: line) { try writeAll($0) }
                }
            } catch let error as JSONLinesEncoder.LineError {
                throw CLIError(message: "standard input \(error)")
            }
            line += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
    }

    static func writeAll(_ raw: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < raw.count {
            let n = write(1, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError(message: "cannot write standard output: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}

/// A failure reported as `Error: <message>` with a non-zero exit status.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
