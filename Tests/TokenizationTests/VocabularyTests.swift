import Foundation
import Testing
import Tokenization

/// vocab.txt and tokenizer.json loading: ids are line numbers, errors name the file and problem.
@Suite struct VocabularyTests {
    func temporaryFile(_ content: [UInt8], name: String = "vocab.txt") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(content).write(to: url)
        return url
    }

    @Test func idsAreLineNumbers() throws {
        let v = Fixtures.uncasedVocabulary
        #expect(v.count == 30522)
        #expect(v.id(for: "[PAD]") == 0)
        #expect(v.id(for: "[UNK]") == 100)
        #expect(v.id(for: "[CLS]") == 101)
        #expect(v.id(for: "hello") == 7592)
        #expect(v.token(for: 7592) == "hello")
        #expect(v.token(for: 30521) == "##～")
        #expect(v.token(for: 30522) == nil)
    }

    /// Empty lines, duplicate lines and CRLF endings keep every line's id; trailing whitespace is
    /// dropped from the text as HF's `read_file` does; a later duplicate wins for lookups.
    @Test func noLineIsSkippedOrMerged() throws {
        let url = try temporaryFile(Array("[UNK]\r\n\nfoo \ndup\ndup\nbar\u{3000}\nlast".utf8))
        let v = try Vocabulary(contentsOf: url)
        #expect(v.count == 7)
        #expect(v.token(for: 1) == "")
        #expect(v.id(for: "foo") == 2)
        #expect(v.id(for: "dup") == 4)
        #expect(v.token(for: 3) == "dup")
        #expect(v.id(for: "bar") == 5)
        #expect(v.id(for: "last") == 6)
        #expect(v.id(for: "[UNK]") == 0)
    }

    @Test func errorsNameTheFileAndTheProblem() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/dir/vocab.txt")
        #expect(throws: TokenizationError.self) { _ = try Vocabulary(contentsOf: missing) }
        do { _ = try Vocabulary(contentsOf: missing) } catch {
            #expect("\(error)".contains("/nonexistent/dir/vocab.txt"))
        }

        let empty = try temporaryFile([])
        #expect(throws: TokenizationError.emptyVocabulary(path: empty.path)) { _ = try Vocabulary(contentsOf: empty) }

        let latin1 = try temporaryFile([0x61, 0x0A, 0x63, 0x61, 0x66, 0xE9, 0x0A])
        #expect(throws: TokenizationError.invalidUTF8(path: latin1.path, line: 2)) { _ = try Vocabulary(contentsOf: latin1) }

        let noUnknown = try temporaryFile(Array("[CLS]\n[SEP]\nhello\n".utf8))
        #expect(throws: TokenizationError.missingToken(token: "[UNK]", role: "unknown", path: noUnknown.path)) {
            _ = try BertTokenizer(vocabularyFile: noUnknown)
        }
        let noSeparator = try temporaryFile(Array("[UNK]\n[CLS]\nhello\n".utf8))
        #expect(throws: TokenizationError.missingToken(token: "[SEP]", role: "separator", path: noSeparator.path)) {
            _ = try BertTokenizer(vocabularyFile: noSeparator)
        }
    }

    @Test func tokenizerFileErrors() throws {
        let good = try String(contentsOf: Fixtures.url("tokenizer-cased-template.json"), encoding: .utf8)
        func load(_ text: String) throws -> BertTokenizer {
            try BertTokenizer(tokenizerJSON: Data(text.utf8), source: "t.json")
        }
        /// The good file with one field changed.
        func edited(_ path: [String], _ value: Any) throws -> String {
            var root = try JSONSerialization.jsonObject(with: Data(good.utf8)) as! [String: Any]
            func set(_ dict: inout [String: Any], _ keys: ArraySlice<String>) {
                if keys.count == 1 { dict[keys.first!] = value; return }
                var inner = dict[keys.first!] as! [String: Any]
                set(&inner, keys.dropFirst())
                dict[keys.first!] = inner
            }
            set(&root, path[...])
            return String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
        }
        #expect(throws: TokenizationError.self) { _ = try load("{not json") }
        do { _ = try load("{not json") } catch { #expect("\(error)".hasPrefix("t.json: malformed")) }
        #expect(throws: TokenizationError.malformedTokenizerFile(path: "t.json", detail: "the top level must be an object")) {
            _ = try load("[1, 2]")
        }
        #expect(throws: TokenizationError.unsupportedComponent(path: "t.json", component: "model", type: "BPE")) {
            _ = try load(try edited(["model", "type"], "BPE"))
        }
        #expect(throws: TokenizationError.unsupportedComponent(path: "t.json", component: "pre_tokenizer", type: "Whitespace")) {
            _ = try load(try edited(["pre_tokenizer", "type"], "Whitespace"))
        }
        #expect(throws: TokenizationError.missingToken(token: "[NOPE]", role: "unknown", path: "t.json")) {
            _ = try load(try edited(["model", "unk_token"], "[NOPE]"))
        }
        #expect(throws: TokenizationError.malformedTokenizerFile(path: "t.json", detail: "truncation.max_length must be a non-negative integer")) {
            _ = try load(try edited(["truncation"], ["max_length": "many", "strategy": "LongestFirst", "stride": 0]))
        }
        let tokenizer = try load(good)
        #expect(tokenizer.truncation == nil && tokenizer.padding == nil)
        #expect(tokenizer.addedTokens.map(\.content) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        #expect(tokenizer.postProcessor.addedTokens(pair: true) == 3)
    }

    @Test func writeAndReloadKeepsIds() throws {
        let directory = try temporaryFile([], name: "unused").deletingLastPathComponent()
        let url = directory.appendingPathComponent("out-vocab.txt")
        try Fixtures.casedVocabulary.write(to: url)
        let again = try Vocabulary(contentsOf: url)
        #expect(again.count == Fixtures.casedVocabulary.count)
        for id in stride(from: 0, to: again.count, by: 97) {
            #expect(again.token(for: id) == Fixtures.casedVocabulary.token(for: id))
        }
    }
}

/// The pipeline's small types on their own, against HF's normalizers, pre-tokenizer and decoder.
@Suite struct ComponentTests {
    struct Component: Decodable {
        var normalizer: String?
        var a: String?
        var normalized: String?
        var words: [[JSONScalar]]?
        var decoder: [String]?
        var text: String?
        var plain: String?
    }
    enum JSONScalar: Decodable {
        case string(String), int(Int)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .int(n) } else { self = .string(try c.decode(String.self)) }
        }
        var string: String { if case .string(let s) = self { return s }; return "" }
        var int: Int { if case .int(let n) = self { return n }; return -1 }
    }
    static let components = Fixtures.lines("components.jsonl", as: Component.self)

    @Test func normalizerMatchesHF() {
        var count = 0
        for c in Self.components {
            guard let name = c.normalizer, let a = c.a, let want = c.normalized else { continue }
            let config = Fixtures.settings[name]!.normalizer
            let n = config.normalize(a)
            #expect(Array(n.text.unicodeScalars) == Array(want.unicodeScalars), "[\(name)] \(a.debugDescription)")
            #expect(n.alignments.count == n.text.unicodeScalars.count)
            count += 1
        }
        #expect(count == 280)
        // Alignments point at the original character each normalized one came from.
        let n = BertNormalizer(lowercase: true).normalize("Héllo\tWÖRLD 中x\u{200B}")
        #expect(n.alignments[1] == 1..<2)
        #expect(n.alignments[5] == 5..<6)
        #expect(n.alignments[12] == 12..<13 && n.alignments[13] == 12..<13 && n.alignments[14] == 12..<13)
        #expect(n.alignments[15] == 13..<14)
        let i = BertNormalizer(stripAccents: false, lowercase: true).normalize("İ")
        #expect(i.alignments == [0..<1, 0..<1])
    }

    @Test func preTokenizerMatchesHF() {
        var count = 0
        for c in Self.components {
            guard c.normalizer == "uncased", let a = c.a, let words = c.words else { continue }
            let got = BertPreTokenizer().preTokenize(a)
            #expect(got.map { Array($0.text.unicodeScalars) } == words.map { Array($0[0].string.unicodeScalars) }, "\(a.debugDescription)")
            #expect(got.map(\.range) == words.map { $0[1].int..<$0[2].int }, "\(a.debugDescription)")
            count += 1
        }
        #expect(count == 70)
    }

    @Test func decoderMatchesHF() {
        var count = 0
        for c in Self.components {
            guard let tokens = c.decoder, let text = c.text, let plain = c.plain else { continue }
            #expect(Array(WordPieceDecoder().decode(tokens).utf8) == Array(text.utf8), "\(tokens)")
            #expect(Array(WordPieceDecoder(cleanup: false).decode(tokens).utf8) == Array(plain.utf8), "\(tokens)")
            count += 1
        }
        #expect(count == 110)
    }

    @Test func wordPieceGreedyLongestMatch() throws {
        let tokenizer = Fixtures.settings["uncased"]!
        let model = tokenizer.model
        for word in ["unaffable", "hello", "supercalifragilistic", "a", String(repeating: "a", count: 100)] {
            let pieces = model.tokenize(word)
            // The pieces agree with the full pipeline on the same word.
            #expect(pieces.map(\.id) == Array(try tokenizer.encode(word, addSpecialTokens: false).ids.prefix(pieces.count)))
        }
        #expect(model.tokenize(String(repeating: "a", count: 101)).map(\.id) == [model.unknownId])
    }

    @Test func offsetsConvertToUTF16AndStringRanges() throws {
        let text = "😀 héllo"
        let e = try Fixtures.settings["uncased"]!.encode(text)
        #expect(e.offsets[2] == 2..<7)
        #expect(e.utf16Offsets(in: text)[2] == 3..<8)
        #expect(e.stringRange(ofToken: 2, in: text).map { String(text[$0]) } == "héllo")
        #expect(e.stringRange(ofToken: 0, in: text) == nil)
    }

    @Test func truncationErrorsAreTyped() throws {
        var tokenizer = Fixtures.settings["uncased"]!
        tokenizer.truncation = Truncation(maxLength: 4, strategy: .onlySecond)
        #expect(throws: TokenizationError.secondSequenceNotProvided) { _ = try tokenizer.encode("one two three four five") }
        tokenizer.truncation = Truncation(maxLength: 2)
        #expect(throws: TokenizationError.maxLengthTooSmall(maxLength: 2, specialTokens: 3)) {
            _ = try tokenizer.encode("a b c", pair: "d e f")
        }
        tokenizer.truncation = Truncation(maxLength: 6, stride: 4)
        #expect(throws: TokenizationError.strideTooLarge(stride: 4, truncatedLength: 4)) {
            _ = try tokenizer.encode("a b c d e f g h")
        }
    }

    /// HF pairs every overflowing window of the first text with every window of the second: two
    /// long texts under a small max_length and a large stride would ask for millions of
    /// encodings. Above ``Truncation/maxPairOutputTokens`` tokens in all that is a typed error,
    /// before anything is built; below it the product is built as before (its windows and order
    /// are checked against HF by the truncation fixtures of make_tokenizer_fixtures.py).
    @Test func pairWindowProductIsBounded() throws {
        var tokenizer = Fixtures.settings["uncased"]!
        tokenizer.truncation = Truncation(maxLength: 16, strategy: .longestFirst, stride: 4)
        let long = Array(repeating: "word", count: 60_000).joined(separator: " ")  // 60,000 tokens a side
        do {
            _ = try tokenizer.encode(long, pair: long)
            Issue.record("a pair of 60,000-token texts under max_length 16, stride 4 was accepted")
        } catch let TokenizationError.invalidParameter(name, detail) {
            #expect(name == "truncation" && detail.contains("overflowing windows") && detail.contains("16777216"), "\(detail)")
        }
        let short = Array(repeating: "word", count: 40).joined(separator: " ")
        let e = try tokenizer.encode(short, pair: short)
        #expect(e.overflowing.count > 100 && ([e] + e.overflowing).allSatisfy { $0.ids.count <= 16 }, "\(e.overflowing.count)")
    }
}

/// Tokens are compared by bytes, as in HF: canonically equivalent spellings are different tokens
/// in vocab.txt and in tokenizer.json (Swift's `String ==` would merge them).
@Suite struct ByteExactTokenTests {
    @Test func canonicallyEquivalentTokensStayApart() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed)  // Swift's String equality; the tokenizer must not use it
        let lines = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", composed, decomposed]
        let v = Vocabulary(tokens: lines)
        #expect(v.id(for: composed) == 4 && v.id(for: decomposed) == 5)

        var json = #"{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"#
        json += lines.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",")
        json += #"}},"normalizer":{"type":"BertNormalizer","lowercase":false},"pre_tokenizer":{"type":"BertPreTokenizer"},"#
        json += #""post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",2]}}"#
        let tokenizer = try BertTokenizer(tokenizerJSON: Data(json.utf8), source: "t.json")
        #expect(tokenizer.vocabulary.count == 6)
        // Cased: no NFD, so each spelling finds its own token.
        #expect(try tokenizer.encode(composed).ids == [2, 4, 3])
        #expect(try tokenizer.encode(decomposed).ids == [2, 5, 3])
        #expect(tokenizer.tokens([4, 5]).map { Array($0.utf8) } == [Array(composed.utf8), Array(decomposed.utf8)])
    }
}
