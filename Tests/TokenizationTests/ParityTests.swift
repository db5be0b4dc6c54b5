import Foundation
import Testing
import Tokenization

/// Every id, type id, offset, word id, mask and overflowing window against HF `tokenizers`.
@Suite struct ParityTests {
    static let cases = Fixtures.lines("cases.jsonl", as: EncodeCase.self)

    func encode(_ c: EncodeCase, with tokenizer: BertTokenizer) throws -> Encoding {
        if let hex = c.bytes {
            let raw = bytes(hex: hex)
            return try raw.withUnsafeBufferPointer { try tokenizer.encode(utf8: $0) }
        }
        return try tokenizer.encode(c.a, pair: c.b)
    }

    /// Accents, combining marks, CJK (Extension E boundary), kana, Hangul, emoji sequences,
    /// control and zero-width characters, 99–101 and 200+ character words, special tokens inside
    /// text, empty and whitespace-only lines, real prose, random mixtures, invalid UTF-8; single
    /// and pair; uncased, cased and two other normalizer settings.
    @Test func encodingsMatchHF() throws {
        #expect(Self.cases.count > 800)
        var failures = 0
        for c in Self.cases {
            let e = try encode(c, with: Fixtures.settings[c.s]!)
            if !expectMatch(e, c.e, c.label) { failures += 1 }
            if failures > 20 { Issue.record("stopping after 20 failing cases"); return }
        }
    }

    /// The cased cases again through both cased tokenizer.json files (TemplateProcessing and
    /// BertProcessing), with the file's truncation and padding switched off.
    @Test func tokenizerFilesMatchHF() throws {
        for name in ["tokenizer-cased-template.json", "tokenizer-cased-bert.json"] {
            var tokenizer = try BertTokenizer(tokenizerFile: Fixtures.url(name))
            tokenizer.truncation = nil
            tokenizer.padding = nil
            #expect(tokenizer.normalizer.lowercase == false)
            var count = 0
            for c in Self.cases where c.s == "cased" {
                expectMatch(try encode(c, with: tokenizer), c.e, "\(name) \(c.label)")
                count += 1
            }
            #expect(count > 200)
        }
    }

    /// Where transformers' slow (Python) BertTokenizer and the fast (Rust) one disagree, we follow
    /// the fast one: e.g. the fast tokenizer lowercases per character (final sigma "Σ" → "σ", not
    /// "ς"), strips accents before lowercasing, and starts CJK Extension E at U+2B920 (the slow one
    /// at U+2B820), and drops more control/format characters.
    @Test func slowAndFastDisagreeAndWeFollowFast() throws {
        let disagreeing = Self.cases.filter { $0.slow == true }
        #expect(disagreeing.count >= 10, "the fixtures should contain slow/fast disagreements")
        #expect(disagreeing.contains { $0.a.contains("ΟΔΟΣ") })
        #expect(disagreeing.contains { $0.a.unicodeScalars.contains { (0x2B820...0x2B91F).contains($0.value) } })
        for c in disagreeing {
            expectMatch(try encode(c, with: Fixtures.settings[c.s]!), c.e, "fast-only \(c.label)")
        }
    }

    /// longest_first, only_first, only_second; right and left; stride 0 and 2; every overflowing
    /// window (for pairs every combination, in HF's order); the errors HF raises.
    @Test func truncationMatchesHF() throws {
        let cases = Fixtures.lines("truncation.jsonl", as: EncodeCase.self)
        #expect(cases.count > 300)
        var tokenizer = Fixtures.settings["uncased"]!
        for c in cases {
            tokenizer.truncation = c.t!.truncation
            if let kind = c.e.error {
                #expect(throws: (any Error).self, "\(c.label) should fail with \(kind)") {
                    _ = try tokenizer.encode(c.a, pair: c.b)
                }
                do { _ = try tokenizer.encode(c.a, pair: c.b) } catch { #expect(errorKind(error) == kind, "\(c.label)") }
            } else {
                expectMatch(try tokenizer.encode(c.a, pair: c.b), c.e, c.label)
            }
        }
    }

    /// A tokenizer.json that declares truncation (only_second, left, stride 4, max 24) and padding
    /// (left, multiple of 8) applies them.
    @Test func declaredTruncationAndPaddingApply() throws {
        struct Declared: Decodable { var a: String; var b: String?; var e: ExpectedEncoding }
        let tokenizer = try BertTokenizer(tokenizerFile: Fixtures.url("tokenizer-cased-bert.json"))
        #expect(tokenizer.truncation == Truncation(maxLength: 24, strategy: .onlySecond, stride: 4, direction: .left))
        #expect(tokenizer.padding == Padding(strategy: .longest, direction: .left, padToMultipleOf: 8))
        for c in Fixtures.lines("declared.jsonl", as: Declared.self) {
            let label = "declared \(c.a.prefix(40)) | \(c.b?.prefix(40) ?? "-")"
            if let kind = c.e.error {
                do {
                    _ = try tokenizer.encode(c.a, pair: c.b)
                    Issue.record("\(label): expected \(kind)")
                } catch { #expect(errorKind(error) == kind, "\(label)") }
            } else {
                expectMatch(try tokenizer.encode(c.a, pair: c.b), c.e, label)
            }
        }
    }

    /// encode_batch with padding: longest or fixed length, right or left, pad_to_multiple_of,
    /// with and without truncation (overflowing windows padded too).
    @Test func batchPaddingMatchesHF() throws {
        struct PadSpec: Decodable { var strategy: StrategyValue; var direction: String; var multiple: Int?; var trunc: Int? }
        enum StrategyValue: Decodable {
            case longest, fixed(Int)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let n = try? c.decode(Int.self) { self = .fixed(n) } else { self = .longest }
            }
        }
        enum Expected: Decodable {
            case encodings([ExpectedEncoding]), error(String)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let list = try? c.decode([ExpectedEncoding].self) { self = .encodings(list) } else {
                    self = .error(try c.decode(ExpectedEncoding.self).error ?? "?")
                }
            }
        }
        struct PadCase: Decodable { var p: PadSpec; var texts: [String]?; var pairs: [[String]]?; var e: Expected }
        let cases = Fixtures.lines("padding.jsonl", as: PadCase.self)
        #expect(cases.count == 48)
        for c in cases {
            var tokenizer = Fixtures.settings["uncased"]!
            let strategy: Padding.Strategy
            switch c.p.strategy { case .longest: strategy = .longest; case .fixed(let n): strategy = .fixed(n) }
            tokenizer.padding = Padding(strategy: strategy, direction: c.p.direction == "left" ? .left : .right,
                                        padToMultipleOf: c.p.multiple)
            tokenizer.truncation = c.p.trunc.map { Truncation(maxLength: $0, stride: 1) }
            let label = "padding \(c.p.strategy) \(c.p.direction) multiple \(c.p.multiple ?? 0) trunc \(c.p.trunc ?? 0)"
            let result = Result {
                if let texts = c.texts { return try tokenizer.encodeBatch(texts) }
                return try tokenizer.encodeBatch(pairs: c.pairs!.map { ($0[0], $0[1]) })
            }
            switch (c.e, result) {
            case let (.encodings(want), .success(got)):
                #expect(got.count == want.count)
                for (k, (g, w)) in zip(got, want).enumerated() { expectMatch(g, w, "\(label) [\(k)]") }
            case let (.error(kind), .failure(error)):
                #expect(errorKind(error) == kind, "\(label)")
            case let (.error(kind), .success):
                Issue.record("\(label): expected \(kind)")
            case let (.encodings, .failure(error)):
                Issue.record("\(label): unexpected \(error)")
            }
        }
    }

    /// Added tokens with lstrip (the span takes the whitespace before), rstrip (and after),
    /// single_word (not inside a word) and non-special added tokens, matched on the raw text.
    @Test func addedTokenFlagsMatchHF() throws {
        struct AddedCase: Decodable { var a: String; var e: ExpectedEncoding; var decoded: String; var decoded_all: String }
        let tokenizer = try BertTokenizer(tokenizerFile: Fixtures.url("tokenizer-added.json"))
        let mask = tokenizer.addedTokens.first { $0.content == "[MASK]" }!
        #expect(mask.lstrip && !mask.rstrip && mask.special)
        #expect(tokenizer.addedTokens.contains { $0.content == "<eos>" && $0.singleWord && $0.rstrip })
        let cases = Fixtures.lines("added.jsonl", as: AddedCase.self)
        #expect(cases.count == 17)
        for c in cases {
            let e = try tokenizer.encode(c.a)
            expectMatch(e, c.e, "added \(c.a.debugDescription)")
            #expect(Array(tokenizer.decode(e.ids).utf8) == Array(c.decoded.utf8), "decode \(c.a.debugDescription)")
            #expect(Array(tokenizer.decode(e.ids, skipSpecialTokens: false).utf8) == Array(c.decoded_all.utf8),
                    "decode all \(c.a.debugDescription)")
        }
    }

    /// decode with and without special tokens: "##" joined, spaces before punctuation and
    /// contractions cleaned token by token, unknown ids skipped.
    @Test func decodeMatchesHF() throws {
        struct DecodeCase: Decodable { var ids: [Int]; var skip: Bool; var text: String }
        let cases = Fixtures.lines("decode.jsonl", as: DecodeCase.self)
        #expect(cases.count > 200)
        let tokenizer = Fixtures.settings["uncased"]!
        for c in cases {
            let got = tokenizer.decode(c.ids, skipSpecialTokens: c.skip)
            #expect(Array(got.utf8) == Array(c.text.utf8), "decode \(c.ids) skip \(c.skip): \(got.debugDescription) vs \(c.text.debugDescription)")
        }
    }

    /// Every Unicode code point, inside a word and alone, through every setting: the CRC-32 of the
    /// ids and offsets of each block of 256 code points equals HF's.
    @Test(arguments: ["uncased", "cased", "raw", "strip"])
    func everyCodePointMatchesHF(setting: String) throws {
        struct Sweep: Decodable { var s: String; var crc: [String] }
        let sweep = Fixtures.lines("sweep.jsonl", as: Sweep.self).first { $0.s == setting }!
        let tokenizer = Fixtures.settings[setting]!
        #expect(sweep.crc.count == 0x1100)
        var mismatches: [String] = []
        for block in 0..<sweep.crc.count where !sweep.crc[block].isEmpty {
            var text = String.UnicodeScalarView()
            for cp in UInt32(block * 256)..<UInt32(block * 256 + 256) {
                guard let scalar = Unicode.Scalar(cp) else { continue }
                if !text.isEmpty { text.append(" ") }
                text.append("a"); text.append(scalar); text.append("b"); text.append(" "); text.append(scalar)
            }
            let e = try tokenizer.encode(String(text))
            let crc = String(format: "%08x", crc32(serialize(e)))
            if crc != sweep.crc[block] { mismatches.append(String(format: "U+%04X–U+%04X", block * 256, block * 256 + 255)) }
        }
        #expect(mismatches.isEmpty, "[\(setting)] blocks differing from HF: \(mismatches.prefix(20))")
    }
}
