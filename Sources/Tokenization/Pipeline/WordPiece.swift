/// The WordPiece model (Hugging Face `models/wordpiece`): greedy longest-match-first over the
/// vocabulary, pieces after the first carry the continuing prefix ("##"). When one step finds no
/// match, or the word has more than `maxInputCharsPerWord` characters, the whole word becomes a
/// single unknown token.
///
/// The longest match is found by walking a double-array trie from the current position, which
/// gives the same answer as HF's "try the whole rest, then one character shorter…" loop in time
/// proportional to the match length, without building any substring.
///
/// ```swift
/// let model = try WordPiece(vocabulary: vocab)
/// model.tokenize("unaffable")   // [("un", 0..<2), ("##aff", 2..<5), ("##able", 5..<9)] with ids
/// ```
public struct WordPiece: Sendable {
    public let vocabulary: Vocabulary
    public let unknownToken: String
    public let unknownId: Int
    public let continuingSubwordPrefix: String
    public let maxInputCharsPerWord: Int
    let trie: DoubleArrayTrie
    /// The trie state after the continuing prefix, or -1 when no token starts with it.
    let continuationState: Int32

    /// - Throws: ``TokenizationError/missingToken(token:role:path:)`` when `unknownToken` is not
    ///   in the vocabulary.
    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100, source: String = "vocabulary") throws {
        guard let unk = vocabulary.id(for: unknownToken) else {
            throw TokenizationError.missingToken(token: unknownToken, role: "unknown", path: source)
        }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.unknownId = unk
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        let keys = vocabulary.lookupEntries.filter { !$0.0.isEmpty }.map { ($0.0, Int32($0.1)) }
        trie = DoubleArrayTrie(keys: keys)
        continuationState = continuingSubwordPrefix.isEmpty
            ? trie.root : trie.walk(continuingSubwordPrefix.utf8, from: trie.root)
    }

    /// One piece of a word: its id and its range in UTF-8 bytes of the word.
    public struct Piece: Sendable, Hashable {
        public var id: Int
        public var bytes: Range<Int>
    }

    /// Splits one (already normalized, pre-tokenized) word into pieces.
    public func tokenize(_ word: String) -> [Piece] {
        let utf8 = Array(word.utf8)
        let n = utf8.count
        if n == 0 { return [] }
        let ids = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)
        defer { ids.deallocate(); ends.deallocate() }
        let count = utf8.withUnsafeBufferPointer {
            tokenize($0.baseAddress!, count: n, scalarCount: word.unicodeScalars.count, ids: ids, ends: ends)
        }
        var pieces: [Piece] = []
        var start = 0
        for k in 0..<count {
            pieces.append(Piece(id: ids[k], bytes: start..<ends[k]))
            start = ends[k]
        }
        return pieces
    }

    /// The hot path: splits `count` (> 0) bytes into pieces, writing each piece's id and end byte
    /// (a piece starts where the previous one ended) to `ids`/`ends`, which must hold `count`
    /// entries. Writes one unknown token spanning the word when it cannot be split. Returns the
    /// number of pieces.
    @inline(__always)
    func tokenize(_ word: UnsafePointer<UInt8>, count: Int, scalarCount: Int,
                  ids: UnsafeMutablePointer<Int>, ends: UnsafeMutablePointer<Int>) -> Int {
        if scalarCount <= maxInputCharsPerWord {
            var pieces = 0
            var start = 0
            var state = trie.root
            while true {
                var s = state
                var i = start
                var matchEnd = -1
                var matchId: Int32 = -1
                while i < count {
                    s = trie.next(s, word[i])
                    if s < 0 { break }
                    i += 1
                    let v = trie.value(at: s)
                    if v >= 0 { matchEnd = i; matchId = v }
                }
                if matchEnd < 0 { break }
                ids[pieces] = Int(matchId); ends[pieces] = matchEnd
                pieces += 1
                if matchEnd == count { return pieces }
                start = matchEnd
                state = continuationState
                if state < 0 { break }
            }
        }
        ids[0] = unknownId; ends[0] = count
        return 1
    }
}
