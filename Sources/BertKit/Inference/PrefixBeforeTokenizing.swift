import Tokenization

/// Cuts a long text to a prefix that tokenizes to the same first `limit` tokens, so a 50 MB
/// line truncated to 512 tokens is not tokenized in full first (which took gigabytes).
///
/// The cut is made only at an ASCII whitespace byte: BERT's normalizer works per character and
/// its pre-tokenizer splits at whitespace, so the tokens before such a cut do not depend on
/// what follows it. A prefix is used only when it already yields at least `limit` tokens
/// (special tokens included); otherwise the window doubles, up to the whole text.
///
/// ```swift
/// let head = try PrefixBeforeTokenizing.prefix(of: line, limit: 512, tokenizer: untruncated)
/// ```
enum PrefixBeforeTokenizing {
    /// Bytes per token tried first: generous for any language (English averages about 5).
    static let bytesPerToken = 32

    /// `text` itself when it is short, else the shortest tried prefix with ≥ `limit` tokens.
    /// `tokenizer` must have no truncation and no padding.
    static func prefix(of text: String, limit: Int, tokenizer: BertTokenizer) throws -> String {
        let utf8 = text.utf8
        var window = limit * bytesPerToken + 4096
        while window < utf8.count {
            var end = utf8.index(utf8.startIndex, offsetBy: window)
            // Back up to just after an ASCII whitespace byte (never inside a UTF-8 sequence).
            while end > utf8.startIndex, !Self.isASCIIWhitespace(utf8[utf8.index(before: end)]) {
                end = utf8.index(before: end)
            }
            if end > utf8.startIndex {
                let candidate = String(text[..<end])
                if try tokenizer.encode(candidate).ids.count >= limit { return candidate }
            }
            window *= 2
        }
        return text
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
