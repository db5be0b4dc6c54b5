import Foundation

extension BertTokenizer {
    /// The same vocabulary and normalizer set up as google-research/bert's `FullTokenizer`
    /// (`tokenization.py`): special tokens such as "[MASK]" written in the text are not matched
    /// as one token (they become "[", "mask", "]"), and a word longer than 200 characters becomes
    /// [UNK] (Hugging Face's limit is 100). Used for pretraining data that must equal the
    /// reference `create_pretraining_data.py`.
    ///
    /// ```swift
    /// let google = try BertTokenizer(vocabularyFile: url).googleFullTokenizer()
    /// try google.encode("[MASK] text", addSpecialTokens: false).ids   // "[", "mask", "]", "text"
    /// ```
    public func googleFullTokenizer() throws -> BertTokenizer {
        let wordPiece = try WordPiece(vocabulary: model.vocabulary, unknownToken: model.unknownToken,
                                      continuingSubwordPrefix: model.continuingSubwordPrefix,
                                      maxInputCharsPerWord: 200)
        let core = TokenizerCore(normalizer: normalizer, model: wordPiece, addedTokens: [],
                                 postProcessor: postProcessor, decoder: decoder)
        return BertTokenizer(core: core, truncation: nil, padding: nil)
    }
}
