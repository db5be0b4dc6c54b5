/// Tokenized documents kept compactly: all token ids in one array, sentence and document
/// boundaries as offsets (no array per sentence), so millions of sentences cost little more
/// than their ids.
///
/// ```swift
/// var store = DocumentStore()
/// store.appendSentence([2023, 2003], startsDocument: true)
/// store.appendSentence([1037, 3231], startsDocument: false)
/// store.documentCount        // 1
/// store.sentence(1)          // [1037, 3231]
/// ```
public struct DocumentStore: Sendable {
    /// Every token id, sentence after sentence.
    public private(set) var tokens: [Int32] = []
    /// `sentenceEnds[s]`: end offset of sentence s in `tokens` (its start is the previous end).
    public private(set) var sentenceEnds: [Int] = []
    /// `documentEnds[d]`: end (exclusive) sentence index of document d.
    public private(set) var documentEnds: [Int] = []

    public init() {}

    public var documentCount: Int { documentEnds.count }
    public var sentenceCount: Int { sentenceEnds.count }
    public var tokenCount: Int { tokens.count }

    /// Appends a non-empty sentence, as the first of a new document or to the last document.
    public mutating func appendSentence<S: Sequence>(_ ids: S, startsDocument: Bool) where S.Element == Int32 {
        tokens.append(contentsOf: ids)
        if startsDocument || documentEnds.isEmpty { documentEnds.append(sentenceEnds.count) }
        sentenceEnds.append(tokens.count)
        documentEnds[documentEnds.count - 1] = sentenceEnds.count
    }

    /// Sentence indices of document `d`.
    public func sentences(ofDocument d: Int) -> Range<Int> {
        (d == 0 ? 0 : documentEnds[d - 1])..<documentEnds[d]
    }

    /// Token range of sentence `s` in `tokens`.
    public func tokenRange(ofSentence s: Int) -> Range<Int> {
        (s == 0 ? 0 : sentenceEnds[s - 1])..<sentenceEnds[s]
    }

    /// The token ids of sentence `s`.
    public func sentence(_ s: Int) -> ArraySlice<Int32> { tokens[tokenRange(ofSentence: s)] }

    /// Number of tokens in sentence `s`.
    public func sentenceLength(_ s: Int) -> Int { tokenRange(ofSentence: s).count }

    /// Empties the store, keeping its capacity.
    public mutating func removeAll() {
        tokens.removeAll(keepingCapacity: true)
        sentenceEnds.removeAll(keepingCapacity: true)
        documentEnds.removeAll(keepingCapacity: true)
    }
}
