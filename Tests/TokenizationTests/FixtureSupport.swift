import Foundation
import Testing
import Tokenization

/// Fixtures written by Scripts/make_tokenizer_fixtures.py (HF tokenizers 0.23.3).
enum Fixtures {
    static func url(_ name: String) -> URL {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures") else {
            fatalError("fixture \(name) missing: run Scripts/make_tokenizer_fixtures.py")
        }
        return url
    }

    static func data(_ name: String) -> Data {
        // The fixtures are committed; a missing one is a broken checkout.
        try! Data(contentsOf: url(name))
    }

    static func lines<T: Decodable>(_ name: String, as type: T.Type) -> [T] {
        let decoder = JSONDecoder()
        return data(name).split(separator: UInt8(ascii: "\n")).map { try! decoder.decode(T.self, from: Data($0)) }
    }

    static let uncasedVocabulary = try! Vocabulary(contentsOf: url("vocab-uncased.txt"))
    static let casedVocabulary = try! Vocabulary(contentsOf: url("vocab-cased.txt"))

    /// The tokenizer of each fixture setting (see the script's docstring).
    static let settings: [String: BertTokenizer] = [
        "uncased": try! BertTokenizer(vocabularyFile: url("vocab-uncased.txt"), lowercase: true),
        "cased": try! BertTokenizer(vocabularyFile: url("vocab-cased.txt"), lowercase: false),
        "raw": try! BertTokenizer(vocabulary: uncasedVocabulary,
                                  normalizer: BertNormalizer(cleanText: false, handleChineseChars: false,
                                                             stripAccents: false, lowercase: true)),
        "strip": try! BertTokenizer(vocabulary: uncasedVocabulary,
                                    normalizer: BertNormalizer(stripAccents: true, lowercase: false)),
    ]
}

/// An expected encoding (offsets flattened as start, end, start, end…; -1 for "none").
struct ExpectedEncoding: Decodable {
    var ids: [Int]?
    var type_ids: [Int]?
    var offsets: [Int]?
    var words: [Int]?
    var special: [Int]?
    var seq: [Int]?
    var attention: [Int]?
    var overflow: [ExpectedEncoding]?
    var error: String?
}

struct TruncationSpec: Decodable {
    var max_length: Int
    var strategy: String
    var direction: String
    var stride: Int

    var truncation: Truncation {
        Truncation(maxLength: max_length, strategy: Truncation.Strategy(rawValue: strategy)!, stride: stride,
                   direction: direction == "left" ? .left : .right)
    }
}

struct EncodeCase: Decodable {
    var s: String
    var a: String
    var b: String?
    var t: TruncationSpec?
    var bytes: String?
    var e: ExpectedEncoding
    var slow: Bool?

    var label: String {
        var text = "[\(s)] \(a.debugDescription.prefix(80))"
        if let b { text += " | \(b.debugDescription.prefix(60))" }
        if let t { text += " truncation \(t.strategy) \(t.direction) max \(t.max_length) stride \(t.stride)" }
        return text
    }
}

/// Compares one encoding with the expectation; records a descriptive issue for the first
/// differing field. Returns whether everything matched.
@discardableResult
func expectMatch(_ e: Encoding, _ x: ExpectedEncoding, _ label: String, overflow: Bool = true,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    func check(_ name: String, _ got: [Int], _ want: [Int]?) -> Bool {
        guard let want else { return true }
        if got == want { return true }
        let k = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        Issue.record("\(label): \(name) differ at \(k) (got \(got.count), want \(want.count)):\n got  \(got)\n want \(want)",
                     sourceLocation: sourceLocation)
        return false
    }
    var ok = true
    ok = check("ids", e.ids, x.ids) && ok
    ok = check("type ids", e.typeIds, x.type_ids) && ok
    ok = check("offsets", e.offsets.flatMap { [$0.lowerBound, $0.upperBound] }, x.offsets) && ok
    ok = check("word ids", e.wordIds.map { $0 ?? -1 }, x.words) && ok
    ok = check("special tokens mask", e.specialTokensMask, x.special) && ok
    ok = check("sequence ids", e.sequenceIds.map { $0 ?? -1 }, x.seq) && ok
    ok = check("attention mask", e.attentionMask, x.attention) && ok
    if overflow, let windows = x.overflow {
        if e.overflowing.count != windows.count {
            Issue.record("\(label): \(e.overflowing.count) overflowing windows, want \(windows.count)", sourceLocation: sourceLocation)
            return false
        }
        for (k, (got, want)) in zip(e.overflowing, windows).enumerated() {
            ok = expectMatch(got, want, "\(label) overflow[\(k)]", overflow: false, sourceLocation: sourceLocation) && ok
        }
    }
    return ok
}

/// The error kind names the fixture script uses for HF's exceptions.
func errorKind(_ error: Error) -> String {
    guard let t = error as? TokenizationError else { return "other: \(error)" }
    switch t {
    case .strideTooLarge: return "strideTooLarge"
    case .sequenceTooShort: return "sequenceTooShort"
    case .secondSequenceNotProvided: return "secondSequenceNotProvided"
    default: return "other: \(t)"
    }
}

/// Bytes from a hex string.
func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(hex.utf8)[...]
    while chars.count >= 2 {
        out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
        chars = chars.dropFirst(2)
    }
    return out
}

private let crcTable: [UInt32] = (0..<256).map { i in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// CRC-32 (IEEE, as Python's zlib.crc32).
func crc32(_ bytes: [UInt8]) -> UInt32 {
    let table = crcTable
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

/// "id,id,…|start:end,start:end,…" as the fixture script's `serialize`.
func serialize(_ e: Encoding) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(e.count * 16)
    func append(_ n: Int) { out.append(contentsOf: String(n).utf8) }
    for (k, id) in e.ids.enumerated() { if k > 0 { out.append(0x2C) }; append(id) }
    out.append(UInt8(ascii: "|"))
    for (k, r) in e.offsets.enumerated() {
        if k > 0 { out.append(0x2C) }
        append(r.lowerBound); out.append(UInt8(ascii: ":")); append(r.upperBound)
    }
    return out
}
