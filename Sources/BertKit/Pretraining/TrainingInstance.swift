/// One pretraining example: `[CLS] A [SEP] B [SEP]` as token ids, the segment split, the
/// next-sentence label and (for static masking) the masked positions with their original ids.
///
/// Segment ids are 0 for the first `firstSegmentLength` tokens (`[CLS] A [SEP]`) and 1 for the
/// rest (`B [SEP]`), which is all google-research/bert ever produces. `tokens` already carries
/// the replacements ([MASK], random word or kept) at `maskedPositions`; an instance prepared for
/// dynamic masking has no masked positions and its original tokens.
///
/// ```swift
/// let instance = try reader.instance(at: 42)
/// instance.segmentIds          // [0, 0, …, 1, 1]
/// instance.maskedPositions     // sorted, e.g. [3, 9, 17]
/// ```
public struct TrainingInstance: Sendable, Hashable, Codable {
    /// Token ids, `[CLS] A [SEP] B [SEP]`, at most `max_seq_length` long.
    public var tokens: [Int32]
    /// Number of tokens with segment id 0 (`[CLS]`, A and the first `[SEP]`).
    public var firstSegmentLength: Int
    /// True when B was taken from another document (next-sentence label 1).
    public var isRandomNext: Bool
    /// Masked positions in increasing order.
    public var maskedPositions: [Int32]
    /// The original token id at each masked position.
    public var maskedLabels: [Int32]

    public init(tokens: [Int32], firstSegmentLength: Int, isRandomNext: Bool,
                maskedPositions: [Int32] = [], maskedLabels: [Int32] = []) {
        self.tokens = tokens
        self.firstSegmentLength = firstSegmentLength
        self.isRandomNext = isRandomNext
        self.maskedPositions = maskedPositions
        self.maskedLabels = maskedLabels
    }

    /// Segment (token type) ids: 0 for `[CLS] A [SEP]`, 1 for `B [SEP]`.
    public var segmentIds: [Int32] {
        (0..<tokens.count).map { $0 < firstSegmentLength ? 0 : 1 }
    }

    /// The next-sentence label as BERT's pretraining head takes it (1 = random next).
    public var nextSentenceLabel: Int32 { isRandomNext ? 1 : 0 }
}
