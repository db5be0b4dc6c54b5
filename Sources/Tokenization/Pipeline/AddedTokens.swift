/// A token matched in the raw text before normalization, like Hugging Face's added tokens:
/// "[MASK]" written inside a sentence stays one token.
///
/// ```swift
/// let mask = AddedToken(content: "[MASK]", id: 103, special: true)
/// ```
public struct AddedToken: Sendable, Hashable, Codable {
    public var content: String
    public var id: Int
    /// Special tokens are dropped by `decode(skipSpecialTokens: true)`.
    public var special: Bool
    /// Only match when not inside a word (Unicode `\w` on both sides).
    public var singleWord: Bool
    /// Absorb whitespace on the left / right into the token's span.
    public var lstrip: Bool
    public var rstrip: Bool
    /// Match against normalized text. Only `false` is supported (the BERT default); loading a
    /// tokenizer.json with a normalized added token is reported as unsupported.
    public var normalized: Bool

    public init(content: String, id: Int, special: Bool = true, singleWord: Bool = false,
                lstrip: Bool = false, rstrip: Bool = false, normalized: Bool = false) {
        self.content = content
        self.id = id
        self.special = special
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.normalized = normalized
    }
}

/// Finds added tokens in raw UTF-8 text: leftmost-longest, non-overlapping, as HF's Aho–Corasick
/// matcher. A position is only examined when its byte can start some token.
final class AddedTokenMatcher: @unchecked Sendable {
    struct Entry {
        let bytes: [UInt8]
        let scalarCount: Int
        let token: AddedToken
    }
    struct Match {
        var startByte: Int, endByte: Int
        var startScalar: Int, endScalar: Int
        var id: Int
    }

    let firstByte: UnsafeMutablePointer<Bool>
    /// Per first byte, candidates longest first.
    private let candidates: [[Entry]]
    let isEmpty: Bool
    private let tables = UnicodeTables.shared

    init(tokens: [AddedToken]) {
        firstByte = .allocate(capacity: 256)
        firstByte.initialize(repeating: false, count: 256)
        var lists = [[Entry]](repeating: [], count: 256)
        for token in tokens where !token.content.isEmpty {
            let bytes = Array(token.content.utf8)
            firstByte[Int(bytes[0])] = true
            lists[Int(bytes[0])].append(Entry(bytes: bytes, scalarCount: token.content.unicodeScalars.count, token: token))
        }
        candidates = lists.map { $0.sorted { $0.bytes.count > $1.bytes.count } }
        isEmpty = tokens.allSatisfy { $0.content.isEmpty }
    }

    deinit { firstByte.deallocate() }

    /// The longest token matching at byte `i` (scalar index `scalarIndex`), after applying
    /// single_word / lstrip / rstrip. `floorByte` is where the previous match
    /// ended (lstrip never reaches before it). Returns nil when no token matches; `skipTo` is
    /// set when a match was found but discarded (single_word), as HF then resumes after it.
    func match(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, scalarIndex: Int,
               floorByte: Int, skipTo: inout Int) -> Match? {
        for entry in candidates[Int(p[i])] {
            let len = entry.bytes.count
            if i + len > n { continue }
            var equal = true
            var k = 1
            while k < len { if p[i + k] != entry.bytes[k] { equal = false; break }; k += 1 }
            if !equal { continue }
            var m = Match(startByte: i, endByte: i + len, startScalar: scalarIndex,
                          endScalar: scalarIndex + entry.scalarCount, id: entry.token.id)
            let token = entry.token
            if token.singleWord {
                let before = previousScalar(p, i, floor: 0)
                let after = i + len < n ? UTF8Decoding.decode(p, i + len, n).scalar : nil
                if (before.map { isWordCharacter($0.scalar) } ?? false) || (after.map { isWordCharacter($0) } ?? false) {
                    skipTo = i + len
                    return nil
                }
            }
            if token.lstrip {
                while m.startByte > floorByte, let prev = previousScalar(p, m.startByte, floor: floorByte),
                      isWhitespace(prev.scalar) {
                    m.startByte = prev.start; m.startScalar -= 1
                }
            }
            if token.rstrip {
                while m.endByte < n {
                    let next = UTF8Decoding.decode(p, m.endByte, n)
                    if !isWhitespace(next.scalar) { break }
                    m.endByte += next.length; m.endScalar += 1
                }
            }
            return m
        }
        return nil
    }

    /// The scalar that ends right before byte `i` (never starting before `floor`); invalid
    /// bytes read as U+FFFD.
    private func previousScalar(_ p: UnsafePointer<UInt8>, _ i: Int, floor: Int) -> (scalar: UInt32, start: Int)? {
        if i <= floor { return nil }
        var start = i - 1
        while start > floor && start > i - 4 && p[start] & 0xC0 == 0x80 { start -= 1 }
        let d = UTF8Decoding.decode(p, start, i)
        if start + d.length == i { return (d.scalar, start) }
        return (0xFFFD, i - 1)
    }

    /// Rust regex `\s`: the Unicode White_Space property.
    private func isWhitespace(_ cp: UInt32) -> Bool {
        tables.flags(cp) & UnicodeTables.whitespace != 0
    }

    /// Rust regex `\w`: Alphabetic, marks, decimal digits, connector punctuation, join controls.
    private func isWordCharacter(_ cp: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(cp) else { return false }
        let p = scalar.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
