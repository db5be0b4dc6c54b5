/// Adds special tokens around the sequences, as HF's `TemplateProcessing` (and the older
/// `BertProcessing`, which is the same BERT template):
///
///     single: [CLS] A [SEP]            type ids 0 … 0
///     pair:   [CLS] A [SEP] B [SEP]    type ids 0 … 0 1 … 1
///
/// Special tokens get offset `0..<0`, no word id and special-tokens mask 1.
///
/// ```swift
/// let processor = TemplatePostProcessor.bert(cls: ("[CLS]", 101), sep: ("[SEP]", 102))
/// ```
public struct TemplatePostProcessor: Sendable, Hashable {
    public enum Piece: Sendable, Hashable {
        /// The first (0) or second (1) sequence, with the type id its tokens get.
        case sequence(Int, typeId: Int)
        /// A special token (one or more ids) with its type id.
        case special(ids: [Int], typeId: Int)
    }

    public var single: [Piece]
    public var pair: [Piece]

    public init(single: [Piece], pair: [Piece]) {
        self.single = single
        self.pair = pair
    }

    /// The BERT template.
    public static func bert(cls: (String, Int), sep: (String, Int)) -> TemplatePostProcessor {
        TemplatePostProcessor(
            single: [.special(ids: [cls.1], typeId: 0), .sequence(0, typeId: 0), .special(ids: [sep.1], typeId: 0)],
            pair: [.special(ids: [cls.1], typeId: 0), .sequence(0, typeId: 0), .special(ids: [sep.1], typeId: 0),
                   .sequence(1, typeId: 1), .special(ids: [sep.1], typeId: 1)])
    }

    /// No special tokens; type ids 0 and 1 (HF's behaviour without a post-processor).
    public static let none = TemplatePostProcessor(single: [.sequence(0, typeId: 0)],
                                                   pair: [.sequence(0, typeId: 0), .sequence(1, typeId: 1)])

    /// How many special tokens the template adds.
    public func addedTokens(pair isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { n, piece in
            if case .special(let ids, _) = piece { return n + ids.count }
            return n
        }
    }

    /// Builds the final encoding of one window of each sequence. The kept (first) window of a
    /// sequence gets the template's type id; HF leaves an overflowing window with the type id of
    /// tokenization (0 for the first sequence, 1 for the second).
    func apply(_ windows: [(RawSequence, Range<Int>, isMain: Bool)], addSpecialTokens: Bool) -> Encoding {
        let template = windows.count == 2 ? pair : single
        var e = Encoding()
        e.reserve(windows.reduce(0) { $0 + $1.1.count } + 4)
        for piece in template {
            switch piece {
            case let .special(ids, typeId):
                if addSpecialTokens { for id in ids { e.appendSpecial(id: id, typeId: typeId) } }
            case let .sequence(index, typeId):
                let (seq, range, isMain) = windows[index]
                let type = isMain ? typeId : index
                e.ids += seq.ids[range]
                e.typeIds += repeatElement(type, count: range.count)
                e.attentionMask += repeatElement(1, count: range.count)
                e.specialTokensMask += repeatElement(0, count: range.count)
                for k in range {
                    e.offsets.append(seq.starts[k]..<seq.ends[k])
                    e.wordIds.append(seq.words[k])
                }
                e.sequenceIds += repeatElement(Optional(index), count: range.count)
            }
        }
        return e
    }

    /// The main encoding and every overflowing combination in HF's order: for a pair with
    /// windows A0…Am and B0…Bn: A0B0 first, then A1B0, A1B1…A1Bn, A2B0…, …, AmBn, and finally
    /// A0B1…A0Bn.
    func process(_ sequences: [RawSequence], windows: [[Range<Int>]], addSpecialTokens: Bool) -> Encoding {
        if sequences.count == 1 {
            var main = apply([(sequences[0], windows[0][0], true)], addSpecialTokens: addSpecialTokens)
            main.overflowing = windows[0].dropFirst().map {
                apply([(sequences[0], $0, false)], addSpecialTokens: addSpecialTokens)
            }
            return main
        }
        let a = windows[0], b = windows[1]
        func combine(_ i: Int, _ j: Int) -> Encoding {
            apply([(sequences[0], a[i], i == 0), (sequences[1], b[j], j == 0)], addSpecialTokens: addSpecialTokens)
        }
        var main = combine(0, 0)
        var overflowing: [Encoding] = []
        for i in a.indices.dropFirst() {
            for j in b.indices { overflowing.append(combine(i, j)) }
        }
        for j in b.indices.dropFirst() { overflowing.append(combine(0, j)) }
        main.overflowing = overflowing
        return main
    }
}
