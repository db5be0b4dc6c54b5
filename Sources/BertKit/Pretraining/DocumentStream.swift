import Dispatch
import Foundation
import Tokenization

/// Reads a corpus in google-research/bert's format — one sentence per line, a blank line
/// between documents — and delivers tokenized sentences in order, tokenizing batches of lines
/// on all cores. Memory is bounded by the batch size whatever the corpus size.
///
/// Reading follows the reference script: lines end at "\n"; undecodable UTF-8 bytes become
/// U+FFFD (which the tokenizer then drops); a line is blank when Python's `strip()` leaves
/// nothing; a line that tokenizes to nothing is skipped without ending the document; empty
/// documents disappear. With `documentPerFile` a file's end also ends its last document (the
/// reference continues a document into the next file: set it to false for exact output).
/// With a ``SentenceSplitter`` each line is a paragraph, split into sentences first.
///
/// ```swift
/// let stream = DocumentStream(files: try CorpusFiles.expand(["corpus/"]), tokenizer: tokenizer)
/// try stream.forEachSentence { ids, startsDocument in
///     store.appendSentence(ids, startsDocument: startsDocument)
/// }
/// ```
public final class DocumentStream: @unchecked Sendable {
    public let files: [CorpusFiles.File]
    public let tokenizer: BertTokenizer
    public var splitter: SentenceSplitter?
    public var documentPerFile: Bool
    /// Lines longer than this are cut into pieces (nil: never cut).
    public var maxLineBytes: Int?
    /// Lines per tokenization batch.
    public var batchLines: Int = 8192
    /// Bytes read so far (all files), for progress reports.
    public private(set) var bytesRead = 0
    /// Called after each batch with the bytes read so far.
    public var onBatch: ((Int) -> Void)?

    public init(files: [CorpusFiles.File], tokenizer: BertTokenizer, splitter: SentenceSplitter? = nil,
                documentPerFile: Bool = false, maxLineBytes: Int? = nil) {
        self.files = files
        self.tokenizer = tokenizer
        self.splitter = splitter
        self.documentPerFile = documentPerFile
        self.maxLineBytes = maxLineBytes
    }

    /// Total input size in bytes.
    public var totalBytes: Int { files.reduce(0) { $0 + $1.size } }

    /// Calls `body` for every non-empty tokenized sentence, with `startsDocument` true for the
    /// first sentence of each document. While `body` handles one batch, the next batch is
    /// tokenized in the background (two batches in memory at most).
    public func forEachSentence(_ body: ([Int32], Bool) throws -> Void) throws {
        var pendingDocument = true
        bytesRead = 0
        var inFlight: (job: TokenizationJob, endsFile: Bool, bytes: Int)?

        func handle(_ batch: (job: TokenizationJob, endsFile: Bool, bytes: Int)) throws {
            for result in batch.job.wait() {
                guard let sentences = result else { pendingDocument = true; continue }
                for ids in sentences where !ids.isEmpty {
                    try body(ids, pendingDocument)
                    pendingDocument = false
                }
            }
            if batch.endsFile && documentPerFile { pendingDocument = true }
            onBatch?(batch.bytes)
        }
        func submit(_ lines: [[UInt8]], endsFile: Bool) throws {
            let job = TokenizationJob(lines: lines, stream: self)
            let previous = inFlight
            inFlight = (job, endsFile, bytesRead)
            if let previous { try handle(previous) }
        }

        var lines: [[UInt8]] = []
        lines.reserveCapacity(batchLines)
        for (k, file) in files.enumerated() {
            var reader = try LineReader(path: file.path, maxLineBytes: maxLineBytes)
            var before = 0
            while let line = try reader.nextLine() {
                lines.append(line)
                bytesRead += reader.bytesRead - before
                before = reader.bytesRead
                if lines.count >= batchLines { try submit(lines, endsFile: false); lines = [] }
            }
            bytesRead += reader.bytesRead - before
            if documentPerFile || k == files.count - 1 { try submit(lines, endsFile: true); lines = [] }
        }
        if let last = inFlight { inFlight = nil; try handle(last) }
    }

    /// Per line: nil for a blank line, else its sentences' ids (possibly empty arrays).
    func tokenize(_ lines: [[UInt8]]) -> [[[Int32]]?] {
        var results = [[[Int32]]?](repeating: nil, count: lines.count)
        let count = lines.count
        guard count > 0 else { return results }
        let chunks = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
        let tokenizer = self.tokenizer, splitter = self.splitter
        results.withUnsafeMutableBufferPointer { out in
            let output = UnsafeSendable(out.baseAddress!)
            lines.withUnsafeBufferPointer { input in
                let source = UnsafeSendable(input.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    for k in (count * c / chunks)..<(count * (c + 1) / chunks) {
                        output.value[k] = Self.tokenizeLine(source.value[k], tokenizer, splitter)
                    }
                }
            }
        }
        return results
    }

    static func tokenizeLine(_ line: [UInt8], _ tokenizer: BertTokenizer, _ splitter: SentenceSplitter?) -> [[Int32]]? {
        let kept = PythonText.strippedRange(line)
        if kept.isEmpty { return nil }
        if let splitter {
            let text = String(decoding: line[kept], as: UTF8.self)
            return splitter.split(text).map { sentence in
                ((try? tokenizer.encode(sentence, addSpecialTokens: false))?.ids ?? []).map { Int32($0) }
            }
        }
        let ids = line.withUnsafeBufferPointer { bytes in
            (try? tokenizer.encode(utf8: UnsafeBufferPointer(rebasing: bytes[kept]), addSpecialTokens: false))?.ids ?? []
        }
        return [ids.map { Int32($0) }]
    }
}

/// One batch of lines being tokenized on a background queue; `wait()` returns its results.
final class TokenizationJob: @unchecked Sendable {
    private let group = DispatchGroup()
    private var results: [[[Int32]]?] = []

    init(lines: [[UInt8]], stream: DocumentStream) {
        group.enter()
        DispatchQueue.global().async {
            self.results = stream.tokenize(lines)
            self.group.leave()
        }
    }

    func wait() -> [[[Int32]]?] {
        group.wait()
        return results
    }
}

/// A pointer handed to parallel workers that touch disjoint elements.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
