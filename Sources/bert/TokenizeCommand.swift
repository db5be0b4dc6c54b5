import ArgumentParser
import Foundation
import TensorCore
import Tokenization

/// `bert tokenize`: standard input lines → one JSON object per line, HF-exact, on all cores.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize standard input, one JSON object per line: {\"ids\",\"type_ids\",\"offsets\"}.",
        discussion: """
            Lines are split on the "\\n" byte only ("\\r", U+0085 and U+2028 are text). Offsets count \
            Unicode code points of the line (of each side for --pairs); special tokens are at [0,0]. \
            Invalid UTF-8 becomes U+FFFD. A tokenizer.json's declared truncation and padding apply, \
            exactly as in the library (BertTokenizer(tokenizerFile:)) and in HF's \
            Tokenizer.from_file(...).encode(line): --max-length/--truncation replace the truncation, \
            --no-truncation and --no-padding turn them off. When padding applies, each object also \
            has "attention_mask" (0 for padding). With --vocab nothing is truncated or padded unless asked. \
            Output streams to standard output as lines are encoded, so a line that fails (say, \
            truncation that cannot be satisfied) stops the command with exit status 1 after the \
            lines before it were written; with --output FILE the file appears only when every \
            line succeeded (written to a temporary file, then renamed).
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

    @Option(help: "Write to this file instead of standard output; nothing is left behind on failure.")
    var output: String?

    @Flag(help: "Ignore the truncation a tokenizer.json declares.")
    var noTruncation = false

    @Flag(help: "Ignore the padding a tokenizer.json declares.")
    var noPadding = false

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
        if noTruncation && maxLength != nil {
            throw ValidationError("--no-truncation and --max-length contradict each other")
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
        // The file's truncation and padding apply (as in the library); flags override them.
        if let maxLength {
            tokenizer.truncation = Truncation(
                maxLength: maxLength, strategy: truncation.flatMap(Truncation.Strategy.init(rawValue:)) ?? .longestFirst)
        }
        if noTruncation { tokenizer.truncation = nil }
        if noPadding { tokenizer.padding = nil }
        let encoder = JSONLinesEncoder(tokenizer: tokenizer, pairs: pairs)
        guard let output else {
            try StreamLines.run(encoder: encoder, write: StreamLines.writeAll)
            return
        }
        do {
            try AtomicFile.write(to: output) { sink in
                try StreamLines.run(encoder: encoder) { try sink.write($0) }
            }
        } catch let error as FileWriteError {
            throw CLIError(message: error.description)
        }
    }
}

/// Reads standard input in large blocks, encodes the complete lines of each block in parallel
/// and writes the JSON in order. The partial last line of a block moves to the front of the
/// buffer and is completed by the next read.
enum StreamLines {
    static let blockSize = 8 << 20

    static func run(encoder: JSONLinesEncoder, write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var capacity = blockSize * 2
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        var line = 1
        var eof = false
        while !eof {
            if capacity - filled < blockSize {
                // A line longer than the buffer: make room.
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let got = read(0, buffer + filled, capacity - filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw CLIError(message: "cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if got == 0 { eof = true } else { filled += got }
            if !eof && filled < blockSize { continue }
            // Encode up to the last newline (everything at EOF); keep the partial line.
            var cut = filled
            if !eof {
                var last = filled - 1
                while last >= 0 && buffer[last] != 0x0A { last -= 1 }
                if last < 0 { continue }
                cut = last + 1
            }
            if cut == 0 { continue }
            do {
                line += try encoder.encode(UnsafeBufferPointer(start: buffer, count: cut), firstLine: line) {
                    try write($0)
                }
            } catch let error as JSONLinesEncoder.LineError {
                throw CLIError(message: "standard input \(error)")
            }
            (buffer).update(from: buffer + cut, count: filled - cut)
            filled -= cut
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
