import Foundation
import Tokenization

/// The token tables pretraining data needs, checked up front: the ids of [CLS], [SEP], [MASK]
/// (and [PAD] when present), which ids are "##" continuation pieces (whole-word masking), and
/// the list random replacement words are drawn from.
///
/// The random-word list follows google-research/bert: `list(tokenizer.vocab.keys())` — the
/// distinct token texts of vocab.txt in file order, each mapped to the id a lookup of the text
/// gives (the later line for a duplicate). For an ordinary vocab.txt it is simply every id.
///
/// ```swift
/// let tokenizer = try BertTokenizer(vocabularyFile: url)
/// let vocab = try PretrainingVocabulary(tokenizer: tokenizer)   // throws without [MASK]/[CLS]/[SEP]
/// vocab.maskId; vocab.isContinuation[Int(id)]
/// ```
public struct PretrainingVocabulary: Sendable {
    /// The underlying vocabulary (id ↔ token text).
    public let vocabulary: Vocabulary
    public let clsId: Int32
    public let sepId: Int32
    public let maskId: Int32
    /// The [PAD] id, or 0 when the vocabulary has no [PAD] (Google pads with id 0).
    public let padId: Int32
    /// `isContinuation[id]`: the token text starts with "##".
    public let isContinuation: [Bool]
    /// Ids random replacement tokens are drawn from, in the order of Google's `vocab_words`.
    public let randomWordIds: [Int32]

    /// - Throws: ``PretrainingError/missingSpecialToken(token:source:)`` when [CLS], [SEP] or
    ///   [MASK] is missing.
    public init(vocabulary: Vocabulary, source: String = "vocabulary") throws {
        func required(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(for: token) else {
                throw PretrainingError.missingSpecialToken(token: token, source: source)
            }
            return Int32(id)
        }
        self.vocabulary = vocabulary
        clsId = try required("[CLS]")
        sepId = try required("[SEP]")
        maskId = try required("[MASK]")
        padId = Int32(vocabulary.id(for: "[PAD]") ?? 0)
        var continuation = [Bool](repeating: false, count: vocabulary.count)
        var seen = Set<[UInt8]>()   // bytes: Swift String == is canonical equivalence
        var words: [Int32] = []
        words.reserveCapacity(vocabulary.count)
        for id in 0..<vocabulary.count {
            guard let text = vocabulary.token(for: id) else { continue }
            continuation[id] = text.hasPrefix("##")
            if seen.insert(Array(text.utf8)).inserted, let lookup = vocabulary.id(for: text) {
                words.append(Int32(lookup))
            }
        }
        isContinuation = continuation
        randomWordIds = words
    }

    /// The tables of a tokenizer's vocabulary.
    public init(tokenizer: BertTokenizer, source: String = "vocabulary") throws {
        try self.init(vocabulary: tokenizer.vocabulary, source: source)
    }

    /// The token text of `id` ("[UNK]"-free: unknown ids give "").
    public func token(_ id: Int32) -> String { vocabulary.token(for: Int(id)) ?? "" }
}
