import Foundation

extension BertTokenizer {
    /// Encodes many texts on all cores (chunks of the batch run in parallel, each with its own
    /// buffers), then pads the whole batch as HF's `encode_batch` does.
    ///
    /// ```swift
    /// let batch = try tokenizer.encodeBatch(["a first text", "a second"])
    /// ```
    /// - Throws: the first (by position) truncation error.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true) throws -> [Encoding] {
        try encodeBatch(count: texts.count) { k, scratch in
            try encode(texts[k], nil, addSpecialTokens: addSpecialTokens, scratch: scratch)
        }
    }

    /// Encodes many (first, second) pairs on all cores, then pads the batch.
    public func encodeBatch(pairs: [(String, String)], addSpecialTokens: Bool = true) throws -> [Encoding] {
        try encodeBatch(count: pairs.count) { k, scratch in
            try encode(pairs[k].0, pairs[k].1, addSpecialTokens: addSpecialTokens, scratch: scratch)
        }
    }

    /// Runs `body` for every index on all cores (each chunk with its own buffers), then pads.
    func encodeBatch(count: Int, _ body: (Int, EncoderScratch) throws -> Encoding) throws -> [Encoding] {
        var results = [Result<Encoding, Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let output = SendablePointer(out.baseAddress)
            withoutActuallyEscaping(body) { body in
                let work = UncheckedSendable(body)
                ParallelChunks.run(count: count) { range in
                    let scratch = EncoderScratch()
                    for k in range {
                        output.pointer![k] = Result { try work.value(k, scratch) }
                    }
                }
            }
        }
        var encodings: [Encoding] = []
        encodings.reserveCapacity(count)
        for result in results { encodings.append(try result!.get()) }
        if let padding { try padding.apply(to: &encodings) }
        return encodings
    }
}

/// Splits `0..<count` into chunks run with `DispatchQueue.concurrentPerform` (a few chunks per
/// core for balance; sequential when small).
enum ParallelChunks {
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    static func run(count: Int, minimumChunk: Int = 8, _ body: @Sendable (Range<Int>) -> Void) {
        if count == 0 { return }
        let chunks = min(cores * 4, max(1, count / minimumChunk))
        if chunks <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = count * c / chunks
            let end = count * (c + 1) / chunks
            body(start..<end)
        }
    }
}

/// Hands a pointer to parallel workers that write disjoint elements.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>?
    init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }
}

/// Hands a value to parallel workers that only read it.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
