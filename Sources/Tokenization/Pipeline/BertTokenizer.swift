import Foundation

/// A Hugging Face–exact BERT WordPiece tokenizer: normalizer → pre-tokenizer → WordPiece →
/// post-processor, with truncation, padding, batch encoding on all cores and decoding.
///
/// ```swift
/// var tokenizer = try BertTokenizer(vocabularyFile: URL(fileURLWithPath: "vocab.txt"))  // uncased
/// let e = try tokenizer.encode("Who was Jim Henson?", pair: "Jim Henson was a puppeteer")
/// e.ids; e.typeIds; e.offsets
/// tokenizer.truncation = Truncation(maxLength: 16, strategy: .onlySecond, stride: 4)
/// tokenizer.padding = Padding(strategy: .longest)
/// let batch = try tokenizer.encodeBatch(["first text", "second one"])
/// tokenizer.decode(e.ids)   // "who was jim henson? jim henson was a puppeteer"
/// ```
///
/// Offsets count Unicode scalars (code points) of the original text, like HF's Python API.
/// The tokenizer is a value: changing `truncation` or `padding` on a copy leaves the original
/// alone; the tables behind it are shared and immutable, so it can be used from any thread.
public struct BertTokenizer: Sendable {
    let core: TokenizerCore

    /// Truncation applied by `encode`/`encodeBatch`; nil means none.
    public var truncation: Truncation?
    /// Padding applied by `encode`/`encodeBatch`; nil means none.
    public var padding: Padding?

    public var vocabulary: Vocabulary { core.model.vocabulary }
    public var normalizer: BertNormalizer { core.normalizer }
    public var model: WordPiece { core.model }
    public var addedTokens: [AddedToken] { core.addedTokens }
    public var postProcessor: TemplatePostProcessor { core.postProcessor }
    public var decoder: WordPieceDecoder? { core.decoder }

    /// Names of the special tokens of a vocab.txt tokenizer.
    public struct SpecialTokens: Sendable, Hashable {
        public var unknown: String
        public var classifier: String
        public var separator: String
        public var padding: String
        public var mask: String

        public init(unknown: String = "[UNK]", classifier: String = "[CLS]", separator: String = "[SEP]",
                    padding: String = "[PAD]", mask: String = "[MASK]") {
            self.unknown = unknown
            self.classifier = classifier
            self.separator = separator
            self.padding = padding
            self.mask = mask
        }
    }

    /// A tokenizer over a vocabulary, set up like HF's `BertWordPieceTokenizer`: the special tokens
    /// present in the vocabulary are matched atomically in the text, the BERT template adds
    /// [CLS]/[SEP], and decoding joins "##" pieces.
    /// - Throws: ``TokenizationError/missingToken(token:role:path:)`` when the unknown,
    ///   classifier or separator token is not in the vocabulary.
    public init(vocabulary: Vocabulary, normalizer: BertNormalizer = BertNormalizer(),
                specialTokens: SpecialTokens = SpecialTokens(), continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100, source: String = "vocabulary") throws {
        let model = try WordPiece(vocabulary: vocabulary, unknownToken: specialTokens.unknown,
                                  continuingSubwordPrefix: continuingSubwordPrefix,
                                  maxInputCharsPerWord: maxInputCharsPerWord, source: source)
        guard let cls = vocabulary.id(for: specialTokens.classifier) else {
            throw TokenizationError.missingToken(token: specialTokens.classifier, role: "classifier", path: source)
        }
        guard let sep = vocabulary.id(for: specialTokens.separator) else {
            throw TokenizationError.missingToken(token: specialTokens.separator, role: "separator", path: source)
        }
        var added: [AddedToken] = []
        for name in [specialTokens.unknown, specialTokens.separator, specialTokens.classifier,
                     specialTokens.padding, specialTokens.mask] {
            if let id = vocabulary.id(for: name), !added.contains(where: { $0.content == name }) {
                added.append(AddedToken(content: name, id: id, special: true))
            }
        }
        core = TokenizerCore(normalizer: normalizer, model: model, addedTokens: added,
                             postProcessor: .bert(cls: (specialTokens.classifier, cls), sep: (specialTokens.separator, sep)),
                             decoder: WordPieceDecoder(prefix: continuingSubwordPrefix, cleanup: true))
    }

    /// Loads vocab.txt; `lowercase: false` gives the cased setting (accents kept too).
    public init(vocabularyFile url: URL, lowercase: Bool = true) throws {
        let vocabulary = try Vocabulary(contentsOf: url)
        try self.init(vocabulary: vocabulary, normalizer: BertNormalizer(lowercase: lowercase), source: url.path)
    }

    init(core: TokenizerCore, truncation: Truncation?, padding: Padding?) {
        self.core = core
        self.truncation = truncation
        self.padding = padding
    }

    /// The same tokenizer with another normalizer (e.g. to force the cased setting).
    public func with(normalizer: BertNormalizer) -> BertTokenizer {
        BertTokenizer(core: core.with(normalizer: normalizer), truncation: truncation, padding: padding)
    }

    // MARK: Encoding

    /// Encodes one text, or a pair when `pair` is given.
    /// - Throws: ``TokenizationError`` only when truncation cannot be satisfied or padding would
    ///   exceed ``Padding/maximumLength``.
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true) throws -> Encoding {
        let scratch = EncoderScratch()
        var e = try encode(text, pair, addSpecialTokens: addSpecialTokens, scratch: scratch)
        if let padding { var batch = [e]; try padding.apply(to: &batch); e = batch[0] }
        return e
    }

    /// Encodes UTF-8 bytes; invalid sequences become U+FFFD (which the normalizer drops) and are
    /// counted as one code point each in offsets, as after Python's `decode("utf-8", "replace")`.
    public func encode(utf8 text: UnsafeBufferPointer<UInt8>, pair: UnsafeBufferPointer<UInt8>? = nil,
                       addSpecialTokens: Bool = true) throws -> Encoding {
        var e = try encode(utf8: text, pair: pair, addSpecialTokens: addSpecialTokens, scratch: EncoderScratch())
        if let padding { var batch = [e]; try padding.apply(to: &batch); e = batch[0] }
        return e
    }

    func encode(_ text: String, _ pair: String?, addSpecialTokens: Bool, scratch: EncoderScratch) throws -> Encoding {
        var a = text, b = pair
        let first = a.withUTF8 { core.encoder.encode($0, scratch: scratch) }
        let second = b?.withUTF8 { core.encoder.encode($0, scratch: scratch) }
        return try finish(first, second, addSpecialTokens: addSpecialTokens)
    }

    func encode(utf8 text: UnsafeBufferPointer<UInt8>, pair: UnsafeBufferPointer<UInt8>?, addSpecialTokens: Bool,
                scratch: EncoderScratch) throws -> Encoding {
        let first = core.encoder.encode(text, scratch: scratch)
        let second = pair.map { core.encoder.encode($0, scratch: scratch) }
        return try finish(first, second, addSpecialTokens: addSpecialTokens)
    }

    /// Truncation and post-processing of raw sequences (padding is applied by the callers).
    func finish(_ first: RawSequence, _ second: RawSequence?, addSpecialTokens: Bool) throws -> Encoding {
        let sequences = second.map { [first, $0] } ?? [first]
        let specials = addSpecialTokens ? core.postProcessor.addedTokens(pair: second != nil) : 0
        let windows = try truncation?.windows(lengths: sequences.map(\.count), specialTokens: specials)
            ?? sequences.map { [0..<$0.count] }
        return core.postProcessor.process(sequences, windows: windows, addSpecialTokens: addSpecialTokens)
    }

    // MARK: Vocabulary access

    /// The id of a token (added tokens first, then the vocabulary).
    public func id(for token: String) -> Int? {
        core.addedByContent[Array(token.utf8)] ?? vocabulary.id(for: token)
    }

    /// The text of a token id (added tokens first, then the vocabulary).
    public func token(for id: Int) -> String? {
        core.addedById[id]?.content ?? vocabulary.token(for: id)
    }

    /// The token texts of an encoding ("[UNK]" for unknown words, "##" on continuation pieces).
    public func tokens(_ ids: [Int]) -> [String] {
        ids.map { token(for: $0) ?? "" }
    }

    // MARK: Decoding

    /// Turns ids back into text as HF's `Tokenizer.decode`: unknown ids are skipped, special
    /// tokens too when `skipSpecialTokens`, then the WordPiece decoder joins "##" pieces and
    /// removes the spaces before punctuation and contractions.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard let token = token(for: id) else { continue }
            if skipSpecialTokens && core.specialContents.contains(Array(token.utf8)) { continue }
            tokens.append(token)
        }
        if let decoder = core.decoder { return decoder.decode(tokens) }
        return tokens.joined(separator: " ")
    }
}

/// The immutable, shared part of a tokenizer.
final class TokenizerCore: Sendable {
    let normalizer: BertNormalizer
    let plan: NormalizerPlan
    let model: WordPiece
    let addedTokens: [AddedToken]
    let matcher: AddedTokenMatcher
    let postProcessor: TemplatePostProcessor
    let decoder: WordPieceDecoder?
    let addedById: [Int: AddedToken]
    let addedByContent: [[UInt8]: Int]
    let specialContents: Set<[UInt8]>

    let encoder: SequenceEncoder

    init(normalizer: BertNormalizer, model: WordPiece, addedTokens: [AddedToken],
         postProcessor: TemplatePostProcessor, decoder: WordPieceDecoder?) {
        self.normalizer = normalizer
        plan = NormalizerPlan.plan(for: normalizer)
        self.model = model
        self.addedTokens = addedTokens
        matcher = AddedTokenMatcher(tokens: addedTokens)
        encoder = SequenceEncoder(plan: plan, model: model, matcher: matcher)
        self.postProcessor = postProcessor
        self.decoder = decoder
        var byId: [Int: AddedToken] = [:]
        var byContent: [[UInt8]: Int] = [:]
        for token in addedTokens { byId[token.id] = token; byContent[Array(token.content.utf8)] = token.id }
        addedById = byId
        addedByContent = byContent
        specialContents = Set(addedTokens.filter(\.special).map { Array($0.content.utf8) })
    }

    func with(normalizer: BertNormalizer) -> TokenizerCore {
        TokenizerCore(normalizer: normalizer, model: model, addedTokens: addedTokens,
                      postProcessor: postProcessor, decoder: decoder)
    }
}
