import Foundation

/// Encodes text lines to JSON lines on all cores, in order: one
/// `{"ids":[…],"type_ids":[…],"offsets":[[start,end],…]}` object per input line, offsets in
/// code points (specials at `[0,0]`). This is what `bert tokenize` writes.
///
/// Each line is encoded as `tokenizer.encode` encodes it: with the tokenizer's truncation and
/// padding (a batch of one, as HF's `Tokenizer.encode`). When the tokenizer pads, each object
/// also has `"attention_mask":[…]` (0 for padding).
///
/// Lines are split on the "\n" byte only ("\r", U+0085 and U+2028 are text); with `pairs`, a line
/// is `first<TAB>second`, split at the first tab. Invalid UTF-8 becomes U+FFFD.
///
/// ```swift
/// let encoder = JSONLinesEncoder(tokenizer: tokenizer, pairs: false)
/// let json = try encoder.encode(Array("Hello\nworld\n".utf8))   // two JSON lines
/// ```
public struct JSONLinesEncoder: Sendable {
    public let tokenizer: BertTokenizer
    public let pairs: Bool

    /// A line that cannot be encoded (1-based line number).
    public struct LineError: Error, CustomStringConvertible, LocalizedError {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
        public var errorDescription: String? { description }
    }

    public init(tokenizer: BertTokenizer, pairs: Bool) {
        self.tokenizer = tokenizer
        self.pairs = pairs
    }

    /// Encodes every line of `text`; a final line without "\n" counts, an empty text has no lines.
    /// `firstLine` numbers the first line in errors.
    public func encode(_ text: [UInt8], firstLine: Int = 1) throws -> [UInt8] {
        var result: [UInt8] = []
        try text.withUnsafeBufferPointer { buffer in
            _ = try encode(buffer, firstLine: firstLine) { result.append(contentsOf: $0) }
        }
        return result
    }

    /// Encodes every line of `text` on all cores and hands the JSON to `output` in pieces, in
    /// order (each piece is only valid during the call). Returns the number of lines.
    /// - Throws: ``LineError`` for the first line that cannot be encoded (pieces before it have
    ///   been output), or what `output` throws.
    @discardableResult
    public func encode(_ text: UnsafeBufferPointer<UInt8>, firstLine: Int = 1,
                       output: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard let base = text.baseAddress, !text.isEmpty else { return 0 }
        let n = text.count
        // Line k spans starts[k] ..< starts[k + 1] - 1 (the last line may lack its "\n").
        var starts: [Int] = [0]
        var i = 0
        while i < n {
            guard let newline = memchr(base + i, 0x0A, n - i) else { break }
            let next = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
            if next < n { starts.append(next) }
            i = next
        }
        let lineCount = starts.count
        starts.append(text[n - 1] == 0x0A ? n : n + 1)
        // Parts of about equal numbers of lines, a few per core, each written to its own buffer.
        let parts = min(lineCount, max(1, min(ParallelChunks.cores * 4, n / 65_536 + 1)))
        var writers = [ByteWriter?](repeating: nil, count: parts)
        var failures = [LineError?](repeating: nil, count: parts)
        let job = UncheckedSendable((self, starts, text))
        writers.withUnsafeMutableBufferPointer { outBuffer in
            failures.withUnsafeMutableBufferPointer { failBuffer in
                let out = SendablePointer(outBuffer.baseAddress)
                let fail = SendablePointer(failBuffer.baseAddress)
                let body: @Sendable (Int) -> Void = { part in
                    let (encoder, starts, text) = job.value
                    let first = lineCount * part / parts, last = lineCount * (part + 1) / parts
                    var writer = ByteWriter(capacity: (starts[last] - starts[first]) * 4 + 256)
                    do {
                        try encoder.encodeLines(first..<last, starts: starts, text: text, firstLine: firstLine, into: &writer)
                    } catch {
                        fail.pointer![part] = error as? LineError ?? LineError(line: 0, reason: "\(error)")
                    }
                    out.pointer![part] = writer
                }
                if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
            }
        }
        defer { for w in writers { w?.deallocate() } }
        for part in 0..<parts {
            try output(writers[part]!.bytes)
            if let failure = failures[part] { throw failure }
        }
        return lineCount
    }

    /// Encodes lines `lines` and writes their JSON; stops at the first failing line.
    private func encodeLines(_ lines: Range<Int>, starts: [Int], text: UnsafeBufferPointer<UInt8>, firstLine: Int,
                             into writer: inout ByteWriter) throws {
        let scratch = EncoderScratch()
        let fast = tokenizer.truncation == nil && tokenizer.padding == nil
        let encoder = tokenizer.core.encoder
        let template = tokenizer.core.postProcessor
        for k in lines {
            let line = UnsafeBufferPointer(rebasing: text[starts[k]..<(starts[k + 1] - 1)])
            var a = line
            var b: UnsafeBufferPointer<UInt8>?
            if pairs {
                guard let tab = line.firstIndex(of: 0x09) else {
                    throw LineError(line: firstLine + k, reason: "expected first<TAB>second (no tab)")
                }
                a = UnsafeBufferPointer(rebasing: line[..<tab])
                b = UnsafeBufferPointer(rebasing: line[(tab + 1)...])
            }
            if fast {
                // No truncation or padding: JSON straight from the token buffers.
                var first = scratch.first, second = scratch.second
                encoder.encode(a, scratch: scratch, into: &first)
                if let b { encoder.encode(b, scratch: scratch, into: &second) } else { second.count = 0 }
                JSONLinesEncoder.write(template: b == nil ? template.single : template.pair,
                                       first, second, to: &writer)
                scratch.first = first; scratch.second = second
            } else {
                do {
                    var batch = [try tokenizer.encode(utf8: a, pair: b, addSpecialTokens: true, scratch: scratch)]
                    try tokenizer.padding?.apply(to: &batch)
                    JSONLinesEncoder.write(batch[0], attentionMask: tokenizer.padding != nil, to: &writer)
                } catch {
                    throw LineError(line: firstLine + k, reason: "\(error)")
                }
            }
        }
    }

    /// Appends one JSON line for `e` (with its `"attention_mask"` when `attentionMask`).
    public static func write(_ e: Encoding, attentionMask: Bool = false, to out: inout [UInt8]) {
        var writer = ByteWriter(capacity: e.count * 48 + 64)
        defer { writer.deallocate() }
        write(e, attentionMask: attentionMask, to: &writer)
        out.append(contentsOf: writer.bytes)
    }

    static func write(_ e: Encoding, attentionMask: Bool = false, to w: inout ByteWriter) {
        w.reserve(e.count * 96 + 64)
        w.write(#"{"ids":["#)
        for (k, v) in e.ids.enumerated() { if k > 0 { w.write(0x2C) }; w.writeInt(v) }
        w.write(#"],"type_ids":["#)
        for (k, v) in e.typeIds.enumerated() { if k > 0 { w.write(0x2C) }; w.writeInt(v) }
        w.write(#"],"offsets":["#)
        for (k, r) in e.offsets.enumerated() {
            if k > 0 { w.write(0x2C) }
            w.write(0x5B); w.writeInt(r.lowerBound); w.write(0x2C); w.writeInt(r.upperBound); w.write(0x5D)
        }
        if attentionMask {
            w.write(#"],"attention_mask":["#)
            for (k, v) in e.attentionMask.enumerated() { if k > 0 { w.write(0x2C) }; w.writeInt(v) }
        }
        w.write("]}\n")
    }

    /// The JSON of the post-processed encoding (no truncation) straight from token buffers.
    static func write(template: [TemplatePostProcessor.Piece], _ a: TokenBuffer, _ b: TokenBuffer,
                      to w: inout ByteWriter) {
        w.reserve((a.count + b.count + 8) * 96 + 64)
        var firstItem = true
        w.write(#"{"ids":["#)
        for piece in template {
            switch piece {
            case .special(let ids, _):
                for id in ids { if !firstItem { w.write(0x2C) }; firstItem = false; w.writeInt(id) }
            case .sequence(let index, _):
                let s = index == 0 ? a : b
                for k in 0..<s.count { if !firstItem { w.write(0x2C) }; firstItem = false; w.writeInt(s.ids[k]) }
            }
        }
        firstItem = true
        w.write(#"],"type_ids":["#)
        for piece in template {
            let (n, type): (Int, Int)
            switch piece {
            case .special(let ids, let typeId): (n, type) = (ids.count, typeId)
            case .sequence(let index, let typeId): (n, type) = ((index == 0 ? a : b).count, typeId)
            }
            for _ in 0..<n { if !firstItem { w.write(0x2C) }; firstItem = false; w.writeInt(type) }
        }
        firstItem = true
        w.write(#"],"offsets":["#)
        for piece in template {
            switch piece {
            case .special(let ids, _):
                for _ in ids { if !firstItem { w.write(0x2C) }; firstItem = false; w.write("[0,0]") }
            case .sequence(let index, _):
                let s = index == 0 ? a : b
                for k in 0..<s.count {
                    if !firstItem { w.write(0x2C) }
                    firstItem = false
                    w.write(0x5B); w.writeInt(s.starts[k]); w.write(0x2C); w.writeInt(s.ends[k]); w.write(0x5D)
                }
            }
        }
        w.write("]}\n")
    }
}
