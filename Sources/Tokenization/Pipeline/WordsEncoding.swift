extension BertTokenizer {
    /// Encodes text that is already split into words, as Hugging Face's `is_split_into_words=True`
    /// (`is_pretokenized` in `tokenizers`): each word goes through the whole pipeline on its own
    /// (added tokens, normaliser, pre-tokeniser, WordPiece), so a word the pre-tokeniser splits
    /// further ("U.S." → `u . s .`) gives several tokens that all carry its index.
    ///
    /// - `wordIds` are indices into `words` (and into `pairWords` for the second sequence), not
    ///   the pre-tokeniser's sub-words; a word that is empty after normalisation (a control
    ///   character, a zero-width space) has no token, and its index is skipped.
    /// - `offsets` are code points of the word the token came from (HF reports them per word:
    ///   `["Hello", "world!"]` gives `0..<5, 0..<5, 5..<6`).
    /// - Truncation, the post-processor and padding act on the joined sequence, as for text.
    ///
    /// ```swift
    /// let e = try tokenizer.encode(words: ["EU", "rejects", "German", "call"])
    /// e.wordIds   // [nil, 0, 1, 2, 3, nil]
    /// ```
    /// - Throws: ``TokenizationError`` only when truncation cannot be satisfied or padding would
    ///   exceed ``Padding/maximumLength``.
    public func encode(words: [String], pairWords: [String]? = nil, addSpecialTokens: Bool = true) throws -> Encoding {
        var e = try encode(words: words, pairWords: pairWords, addSpecialTokens: addSpecialTokens, scratch: EncoderScratch())
        if let padding { var batch = [e]; try padding.apply(to: &batch); e = batch[0] }
        return e
    }

    /// Encodes many word lists on all cores, then pads the batch (see ``encode(words:pairWords:addSpecialTokens:)``).
    ///
    /// ```swift
    /// let batch = try tokenizer.encodeBatch(words: [["EU", "rejects"], ["Peter", "Blackburn"]])
    /// ```
    /// - Throws: the first (by position) truncation error.
    public func encodeBatch(words: [[String]], addSpecialTokens: Bool = true) throws -> [Encoding] {
        try encodeBatch(count: words.count) { k, scratch in
            try encode(words: words[k], pairWords: nil, addSpecialTokens: addSpecialTokens, scratch: scratch)
        }
    }

    func encode(words: [String], pairWords: [String]?, addSpecialTokens: Bool, scratch: EncoderScratch) throws -> Encoding {
        let first = sequence(words: words, scratch: scratch)
        let second = pairWords.map { sequence(words: $0, scratch: scratch) }
        return try finish(first, second, addSpecialTokens: addSpecialTokens)
    }

    /// The tokens of every word in turn, each word's word index replaced by its position.
    func sequence(words: [String], scratch: EncoderScratch) -> RawSequence {
        var out = RawSequence()
        for (index, word) in words.enumerated() {
            var text = word
            let piece = text.withUTF8 { core.encoder.encode($0, scratch: scratch) }
            out.ids += piece.ids
            out.starts += piece.starts
            out.ends += piece.ends
            out.words += repeatElement(index, count: piece.count)
        }
        return out
    }
}
