/// The BERT pre-tokenizer of Hugging Face `tokenizers` (`pre_tokenizers/bert.rs`): split on
/// whitespace (removed), then isolate every punctuation character — ASCII 33–47, 58–64, 91–96,
/// 123–126 and Unicode P* in the crate's tables. Other symbols (€, ©, emoji) stay inside words.
///
/// ```swift
/// BertPreTokenizer().preTokenize("Hi, you!").map(\.text)   // ["Hi", ",", "you", "!"]
/// ```
public struct BertPreTokenizer: Sendable, Hashable {
    public init() {}

    /// A word and its range in Unicode scalars of the input (of the original text when the input
    /// was a ``NormalizedString``).
    public struct PreToken: Sendable, Hashable {
        public var text: String
        public var range: Range<Int>
    }

    /// Whether the pre-tokenizer splits on this code point (and drops it).
    public func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        UnicodeTables.shared.flags(scalar.value) & UnicodeTables.whitespace != 0
    }

    /// Whether the pre-tokenizer isolates this code point as a word of its own.
    public func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        UnicodeTables.shared.flags(scalar.value) & UnicodeTables.punctuation != 0
    }

    /// Splits `text`; ranges are scalar offsets into `text`.
    public func preTokenize(_ text: String) -> [PreToken] {
        let scalars = Array(text.unicodeScalars)
        return split(scalars, alignments: scalars.indices.map { $0..<$0 + 1 })
    }

    /// Splits normalized text; ranges point into the original text.
    public func preTokenize(_ normalized: NormalizedString) -> [PreToken] {
        split(Array(normalized.text.unicodeScalars), alignments: normalized.alignments)
    }

    private func split(_ scalars: [Unicode.Scalar], alignments: [Range<Int>]) -> [PreToken] {
        var result: [PreToken] = []
        var start: Int?
        func flush(_ end: Int) {
            if let s = start, s < end {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[s..<end])
                result.append(PreToken(text: String(view),
                                       range: alignments[s].lowerBound..<alignments[end - 1].upperBound))
            }
            start = nil
        }
        for (k, scalar) in scalars.enumerated() {
            if isWhitespace(scalar) {
                flush(k)
            } else if isPunctuation(scalar) {
                flush(k)
                start = k
                flush(k + 1)
            } else if start == nil {
                start = k
            }
        }
        flush(scalars.count)
        return result
    }
}
