/// The WordPiece decoder of Hugging Face `tokenizers` (`decoders/wordpiece.rs`): every token but
/// the first gets a leading space unless it starts with the prefix ("##"), which is removed; with
/// `cleanup`, each token then loses the space before ".", "?", "!", ",", and before the
/// contractions "n't", "'m", "'s", "'ve", "'re" (HF applies these replacements token by token,
/// on bytes, in this order).
///
/// ```swift
/// WordPieceDecoder().decode(["hello", "wor", "##ld", "!"])   // "hello world!"
/// ```
public struct WordPieceDecoder: Sendable, Hashable {
    public var prefix: String
    public var cleanup: Bool

    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    public func decode(_ tokens: [String]) -> String {
        let prefixBytes = Array(prefix.utf8)
        var out: [UInt8] = []
        for (i, token) in tokens.enumerated() {
            var piece = Array(token.utf8)
            if i != 0 {
                if !prefixBytes.isEmpty && piece.starts(with: prefixBytes) {
                    piece.removeFirst(prefixBytes.count)
                } else {
                    piece.insert(0x20, at: 0)
                }
            }
            if cleanup { piece = WordPieceDecoder.clean(piece) }
            out += piece
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let replacements: [([UInt8], [UInt8])] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
        (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// HF's `cleanup`: each replacement applied to all non-overlapping occurrences, left to right.
    static func clean(_ s: [UInt8]) -> [UInt8] {
        guard s.contains(0x20) else { return s }
        var t = s
        for (from, to) in replacements {
            var result: [UInt8] = []
            result.reserveCapacity(t.count)
            var i = 0
            var changed = false
            while i < t.count {
                if t[i] == from[0] && i + from.count <= t.count && t[i..<(i + from.count)].elementsEqual(from) {
                    result += to
                    i += from.count
                    changed = true
                } else {
                    result.append(t[i])
                    i += 1
                }
            }
            if changed { t = result }
        }
        return t
    }
}
