import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The malformed-input corpus for vocab.txt, tokenizer.json and model.safetensors (issue 15):
/// each case must throw a typed error naming the file and the problem — never trap, hang or
/// allocate what the file merely claims — and leave no file behind.
@Suite struct MalformedFilesCorpusTests {
    static let vocabulary = #""[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "hello": 5, "world": 6"#

    /// A valid BERT tokenizer.json with parts replaced by raw JSON.
    static func tokenizer(vocab: String = vocabulary, model: String = #""type": "WordPiece", "unk_token": "[UNK]""#,
                          normalizer: String = #"{"type": "BertNormalizer", "lowercase": true}"#,
                          padding: String = "null", truncation: String = "null") -> String {
        """
        {"model": {\(model), "vocab": {\(vocab)}}, "normalizer": \(normalizer),
         "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
         "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
         "truncation": \(truncation), "padding": \(padding)}
        """
    }

    static func padding(_ strategy: String, multiple: String = "null") -> String {
        #"{"strategy": \#(strategy), "direction": "Right", "pad_to_multiple_of": \#(multiple), "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}"#
    }

    static let tokenizerCases: [(String, String, [String])] = [
        ("vocab id 2^62", tokenizer(vocab: vocabulary + #", "big": 4611686018427387904"#), ["\"big\"", "limit"]),
        ("vocab id Int.max", tokenizer(vocab: vocabulary + #", "big": 9223372036854775807"#), ["\"big\"", "limit"]),
        ("vocab id 10^9", tokenizer(vocab: vocabulary + #", "big": 1000000000"#), ["\"big\"", "limit"]),
        ("vocab id 2^64", tokenizer(vocab: vocabulary + #", "big": 18446744073709551616"#), ["\"big\""]),
        ("vocab id -1", tokenizer(vocab: vocabulary + #", "neg": -1"#), ["\"neg\"", "non-negative integer id"]),
        ("vocab id 1.5", tokenizer(vocab: vocabulary + #", "half": 1.5"#), ["\"half\""]),
        ("vocab id a string", tokenizer(vocab: vocabulary + #", "s": "7""#), ["\"s\""]),
        ("vocab empty", tokenizer(vocab: ""), ["empty"]),
        ("vocab without [UNK]", tokenizer(vocab: #""[CLS]": 0, "[SEP]": 1, "a": 2"#), ["[UNK]"]),
        ("model.vocab an array", #"{"model": {"type": "WordPiece", "vocab": ["a"]}}"#, ["model.vocab"]),
        ("model missing", #"{"normalizer": null}"#, ["model must be an object"]),
        ("model type BPE", tokenizer(model: #""type": "BPE""#), ["BPE"]),
        ("pad_to_multiple_of 2^62", tokenizer(padding: padding(#""BatchLongest""#, multiple: "4611686018427387904")),
         ["padding.pad_to_multiple_of", "limit"]),
        ("padding Fixed 10^12", tokenizer(padding: padding(#"{"Fixed": 1000000000000}"#)),
         ["padding.strategy.Fixed", "limit"]),
        ("padding Fixed -1", tokenizer(padding: padding(#"{"Fixed": -1}"#)), ["padding.strategy.Fixed"]),
        ("padding strategy unknown", tokenizer(padding: padding(#""Everything""#)), ["padding.strategy"]),
        ("padding direction unknown", tokenizer(padding: #"{"strategy": "BatchLongest", "direction": "Up"}"#),
         ["padding.direction"]),
        ("truncation max_length -1", tokenizer(truncation: #"{"max_length": -1, "strategy": "LongestFirst"}"#),
         ["truncation.max_length"]),
        ("normalizer unsupported", tokenizer(normalizer: #"{"type": "NFKC"}"#), ["NFKC"]),
        ("not JSON", "{\"model\": ", ["not valid JSON"]),
        ("empty file", "", ["not valid JSON"]),
        ("top level array", "[]", ["top level"]),
        ("200,000-deep nesting", String(repeating: "[", count: 200_000), ["not valid JSON"]),
    ]

    @Test(arguments: tokenizerCases)
    func malformedTokenizerFile(name: String, text: String, fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("tokenizer.json", text)
        let before = scratch.listing()
        try expectRefusal(TokenizationError.self, names: url.path, fragments, name) {
            _ = try BertTokenizer(tokenizerFile: url)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    @Test func theBaseTokenizerFileLoads() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let tokenizer = try BertTokenizer(tokenizerFile: try scratch.write("tokenizer.json", Self.tokenizer()))
        #expect(try tokenizer.encode("Hello world").ids == [2, 5, 6, 3])
        let padded = try BertTokenizer(tokenizerFile: try scratch.write(
            "padded.json", Self.tokenizer(padding: Self.padding(#""BatchLongest""#, multiple: "8"))))
        #expect(try padded.encode("Hello").ids == [2, 5, 3, 0, 0, 0, 0, 0])
    }

    /// The library path: padding set in code past the limit is a typed error, not 8 TB.
    @Test(arguments: [Padding(strategy: .fixed(1_000_000_000_000)),
                      Padding(strategy: .longest, padToMultipleOf: 1 << 62),
                      Padding(strategy: .fixed(5), padToMultipleOf: Int.max)])
    func paddingPastTheLimitInCode(padding: Padding) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var tokenizer = try BertTokenizer(tokenizerFile: try scratch.write("tokenizer.json", Self.tokenizer()))
        tokenizer.padding = padding
        #expect(throws: TokenizationError.self) { try tokenizer.encode("hello") }
        #expect(throws: TokenizationError.self) { try tokenizer.encodeBatch(["hello", "world"]) }
    }

    @Test(arguments: [[("a", -1)], [("a", 1 << 24)], [("a", Int.max)], [("a", 0), ("b", 1 << 62)]])
    func vocabularyIdsOutOfRange(entries: [(String, Int)]) {
        #expect(throws: TokenizationError.self) { try Vocabulary(entries: entries) }
    }

    static let vocabCases: [(String, [UInt8], [String])] = [
        ("empty vocab.txt", [], ["empty"]),
        ("invalid UTF-8 on line 3", Array("[UNK]\n[CLS]\n".utf8) + [0xC3, 0x28, 0x0A], ["line 3", "UTF-8"]),
        ("lone continuation byte", Array("[UNK]\n".utf8) + [0x80], ["line 2"]),
        ("no [UNK]", Array("[CLS]\n[SEP]\nhello\n".utf8), ["[UNK]"]),
        ("no [CLS]", Array("[UNK]\n[SEP]\nhello\n".utf8), ["[CLS]"]),
        ("no [SEP]", Array("[UNK]\n[CLS]\nhello\n".utf8), ["[SEP]"]),
        ("blank lines only", Array("\n\n\n".utf8), ["[UNK]"]),
        ("UTF-16 with BOM", [0xFF, 0xFE, 0x5B, 0x00, 0x55, 0x00], ["line 1"]),
    ]

    @Test(arguments: vocabCases)
    func malformedVocabTxt(name: String, bytes: [UInt8], fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("vocab.txt", bytes)
        let before = scratch.listing()
        try expectRefusal(TokenizationError.self, names: url.path, fragments, name) {
            _ = try BertTokenizer(vocabularyFile: url)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    @Test(arguments: ["vocab.txt", "tokenizer.json"], ["fifo", "directory", "missing"])
    func specialVocabularyFilesAreRefusedUnopened(file: String, kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = scratch.path(file)
        switch kind {
        case "fifo": try scratch.fifo(file)
        case "directory": try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        default: break
        }
        try expectRefusal(TokenizationError.self, names: url.path, [kind == "missing" ? "no such file" : "not a regular file"],
                          "\(file) \(kind)") {
            _ = file == "vocab.txt" ? try BertTokenizer(vocabularyFile: url) : try BertTokenizer(tokenizerFile: url)
        }
    }

    @Test func characterDeviceIsRefused() throws {
        let url = URL(fileURLWithPath: "/dev/zero")
        #expect(throws: TokenizationError.self) { try BertTokenizer(vocabularyFile: url) }
        #expect(throws: BertError.self) { try BertConfig(contentsOf: url) }
        #expect(throws: BertError.self) { try readSafetensors(url) }
    }
}
