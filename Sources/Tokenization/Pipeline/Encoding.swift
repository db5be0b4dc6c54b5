/// The result of encoding one sequence or one pair, as Hugging Face's `Encoding`.
///
/// Offsets are ranges of **Unicode scalars (code points)** of the original string the token came
/// from (the first or the second text of a pair), like HF's Python API. Special and padding tokens
/// have the empty range `0..<0`. Use ``utf16Offsets(in:)`` or ``stringRange(ofToken:in:)`` to
/// index a Swift `String`.
///
/// ```swift
/// let e = try tokenizer.encode("Hello world!")
/// e.ids          // [101, 7592, 2088, 999, 102]
/// e.offsets[1]   // 0..<5
/// e.wordIds      // [nil, 0, 1, 2, nil]
/// ```
public struct Encoding: Sendable, Hashable {
    public var ids: [Int]
    /// Segment ids: 0 for the first sequence and its specials, 1 for the second (BERT template).
    public var typeIds: [Int]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]
    /// 1 for special and padding tokens, 0 for tokens of the text.
    public var specialTokensMask: [Int]
    public var offsets: [Range<Int>]
    /// Index of the pre-tokenized word each token belongs to (per sequence), nil for specials.
    public var wordIds: [Int?]
    /// 0 or 1 for tokens of the first or second sequence, nil for specials and padding.
    public var sequenceIds: [Int?]
    /// The other windows when truncation cut the input (stride windows, and for a pair every
    /// combination of the two sequences' windows), in Hugging Face's order.
    public var overflowing: [Encoding]

    public var count: Int { ids.count }

    public init(ids: [Int] = [], typeIds: [Int] = [], attentionMask: [Int] = [], specialTokensMask: [Int] = [],
                offsets: [Range<Int>] = [], wordIds: [Int?] = [], sequenceIds: [Int?] = [],
                overflowing: [Encoding] = []) {
        self.ids = ids
        self.typeIds = typeIds
        self.attentionMask = attentionMask
        self.specialTokensMask = specialTokensMask
        self.offsets = offsets
        self.wordIds = wordIds
        self.sequenceIds = sequenceIds
        self.overflowing = overflowing
    }

    mutating func reserve(_ n: Int) {
        ids.reserveCapacity(n); typeIds.reserveCapacity(n); attentionMask.reserveCapacity(n)
        specialTokensMask.reserveCapacity(n); offsets.reserveCapacity(n); wordIds.reserveCapacity(n)
        sequenceIds.reserveCapacity(n)
    }

    mutating func appendSpecial(id: Int, typeId: Int) {
        ids.append(id); typeIds.append(typeId); attentionMask.append(1); specialTokensMask.append(1)
        offsets.append(0..<0); wordIds.append(nil); sequenceIds.append(nil)
    }

    /// Offsets converted to UTF-16 code units of the original string(s), for `NSString`/`NSRange`
    /// users. `texts` are the first and (for a pair) the second input; specials stay `0..<0`.
    public func utf16Offsets(in texts: String...) -> [Range<Int>] {
        let tables = texts.map { text -> [Int] in
            var table = [0]
            table.reserveCapacity(text.unicodeScalars.count + 1)
            var position = 0
            for scalar in text.unicodeScalars { position += scalar.utf16.count; table.append(position) }
            return table
        }
        return offsets.indices.map { k in
            guard let sequence = sequenceIds[k], sequence < tables.count else { return offsets[k] }
            let table = tables[sequence]
            let r = offsets[k]
            guard r.upperBound < table.count else { return r }
            return table[r.lowerBound]..<table[r.upperBound]
        }
    }

    /// The substring range of token `index` in `text` (the sequence it came from), nil for specials.
    public func stringRange(ofToken index: Int, in text: String) -> Range<String.Index>? {
        guard sequenceIds[index] != nil else { return nil }
        let r = offsets[index]
        let scalars = text.unicodeScalars
        guard r.upperBound <= scalars.count else { return nil }
        let start = scalars.index(scalars.startIndex, offsetBy: r.lowerBound)
        let end = scalars.index(start, offsetBy: r.count)
        return start..<end
    }
}
