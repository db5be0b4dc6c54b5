/// Splits paragraph-per-line text into sentences, for corpora that are not already one sentence
/// per line (`bert pretraining-data --split-sentences`).
///
/// Rules (deliberately simple and predictable):
/// 1. A sentence may end after ".", "!", "?" or "…" (a run of them, e.g. "?!" or "..."),
///    optionally followed by closing quotes or brackets (" ' ) ] ” ’ »).
/// 2. It ends there only if whitespace follows and the next word does not start with a
///    lowercase letter.
/// 3. A "." does not end a sentence after a known abbreviation ("Mr.", "Mrs.", "Dr.", "St.",
///    "e.g.", "i.e.", "etc.", "Jan.", "No.", "U.S." …: case-insensitive, see
///    ``abbreviations``), after a single letter (an initial, "J. Smith"), or after a word with
///    an inner dot ("U.S.A.").
/// Sentences are returned trimmed; text without a boundary is one sentence.
///
/// ```swift
/// SentenceSplitter().split("Mr. Smith went to Washington. He arrived at 3 p.m. on Monday!")
/// // ["Mr. Smith went to Washington.", "He arrived at 3 p.m. on Monday!"]
/// ```
public struct SentenceSplitter: Sendable {
    /// Lowercased abbreviations (without the final ".") after which "." never ends a sentence.
    public var abbreviations: Set<String>

    public static let defaultAbbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "etc", "e.g", "i.e", "cf",
        "inc", "ltd", "co", "corp", "no", "nos", "fig", "figs", "vol", "vols", "pp", "p", "ed", "eds",
        "gen", "gov", "sen", "rep", "rev", "hon", "capt", "col", "lt", "sgt", "maj", "adm", "cmdr",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "a.m", "p.m", "u.s", "u.k", "approx", "dept", "est", "al", "op", "art", "ch", "sec",
    ]

    public init(abbreviations: Set<String> = SentenceSplitter.defaultAbbreviations) {
        self.abbreviations = abbreviations
    }

    /// The sentences of `text`, in order, without surrounding whitespace; none for blank text.
    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var sentences: [String] = []
        var start = 0
        var i = 0
        while i < scalars.count {
            guard Self.isTerminator(scalars[i]) else { i += 1; continue }
            var end = i + 1
            while end < scalars.count, Self.isTerminator(scalars[end]) { end += 1 }
            while end < scalars.count, Self.isCloser(scalars[end]) { end += 1 }
            defer { i = end }
            guard end < scalars.count, scalars[end].properties.isWhitespace else { continue }
            var next = end
            while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 }
            guard next < scalars.count, !scalars[next].properties.isLowercase else { continue }
            if end - i == 1, scalars[i] == ".", isNonFinalDot(scalars, dotAt: i, from: start) { continue }
            appendTrimmed(scalars[start..<end], to: &sentences)
            start = next
        }
        appendTrimmed(scalars[start...], to: &sentences)
        return sentences
    }

    /// Is the "." at `dotAt` part of an abbreviation, an initial or a dotted word?
    func isNonFinalDot(_ scalars: [Unicode.Scalar], dotAt: Int, from start: Int) -> Bool {
        var wordStart = dotAt
        while wordStart > start, !scalars[wordStart - 1].properties.isWhitespace,
              !Self.isOpener(scalars[wordStart - 1]) { wordStart -= 1 }
        let word = String(String.UnicodeScalarView(scalars[wordStart..<dotAt]))
        if word.isEmpty { return false }
        if word.unicodeScalars.count == 1, word.unicodeScalars.first!.properties.isAlphabetic { return true }
        if word.contains(".") { return true }
        return abbreviations.contains(word.lowercased())
    }

    static func isTerminator(_ s: Unicode.Scalar) -> Bool { s == "." || s == "!" || s == "?" || s == "\u{2026}" }
    static func isCloser(_ s: Unicode.Scalar) -> Bool {
        s == "\"" || s == "'" || s == ")" || s == "]" || s == "\u{201D}" || s == "\u{2019}" || s == "\u{BB}"
    }
    static func isOpener(_ s: Unicode.Scalar) -> Bool {
        s == "\"" || s == "'" || s == "(" || s == "[" || s == "\u{201C}" || s == "\u{2018}" || s == "\u{AB}"
    }

    private func appendTrimmed(_ slice: ArraySlice<Unicode.Scalar>, to sentences: inout [String]) {
        var lo = slice.startIndex, hi = slice.endIndex
        while lo < hi, slice[lo].properties.isWhitespace { lo += 1 }
        while hi > lo, slice[hi - 1].properties.isWhitespace { hi -= 1 }
        if lo < hi { sentences.append(String(String.UnicodeScalarView(slice[lo..<hi]))) }
    }
}
