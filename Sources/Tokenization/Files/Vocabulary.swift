import Foundation

/// A token ↔ id table.
///
/// From vocab.txt the id of a token is its 0-based line number: no line is skipped, trimmed away
/// or merged, so ids always agree with the file. As in Hugging Face `WordPiece.read_file`, the
/// token text is the line without its terminator ("\n" or "\r\n") and without trailing
/// whitespace; when two lines have the same text, looking the text up gives the later line's id,
/// while ``token(for:)`` still returns each line's own text.
///
/// ```swift
/// let vocab = try Vocabulary(contentsOf: URL(fileURLWithPath: "vocab.txt"))
/// vocab.id(for: "[CLS]")   // 101 for bert-base-uncased
/// vocab.token(for: 7592)   // "hello"
/// ```
///
/// Tokens are compared by their exact UTF-8 bytes, as in HF: "é" (U+00E9) and "e" + U+0301 are
/// different tokens here, although Swift's `String ==` calls them equal.
public final class Vocabulary: Sendable {
    private let idToToken: [String?]
    /// Token bytes → id.
    private let index: [[UInt8]: Int]

    /// Number of ids (one more than the largest id).
    public var count: Int { idToToken.count }

    /// The limit on ids given explicitly (``init(entries:)``, tokenizer.json's `model.vocab`):
    /// ids must be below 2^24 (16,777,216). The id table is sized from the largest id, so without
    /// a bound one entry with id 2^62 would ask for exabytes.
    public static let maximumId = 1 << 24 - 1

    /// Builds a vocabulary whose ids are the positions in `tokens`.
    public convenience init(tokens: [String]) {
        self.init(validEntries: tokens.enumerated().map { ($0.element, $0.offset) })
    }

    /// Builds a vocabulary from (token, id) entries (as the model.vocab of tokenizer.json); a
    /// later entry with the same bytes wins the lookup.
    /// - Throws: ``TokenizationError/invalidParameter(name:detail:)`` when an id is negative or
    ///   above ``maximumId``.
    public convenience init(entries: [(String, Int)]) throws {
        for (token, id) in entries where !(0...Vocabulary.maximumId).contains(id) {
            throw TokenizationError.invalidParameter(
                name: "vocabulary id", detail: "token \"\(token)\" has id \(id), outside 0...\(Vocabulary.maximumId)")
        }
        self.init(validEntries: entries)
    }

    private init(validEntries entries: [(String, Int)]) {
        let size = (entries.map(\.1).max() ?? -1) + 1
        var tokens = [String?](repeating: nil, count: size)
        var index: [[UInt8]: Int] = [:]
        index.reserveCapacity(entries.count)
        for (token, id) in entries where id >= 0 {
            if tokens[id] == nil { tokens[id] = token }
            index[Array(token.utf8)] = id
        }
        idToToken = tokens
        self.index = index
    }

    /// Loads vocab.txt.
    /// - Throws: ``TokenizationError`` naming the file when it cannot be read, is empty or is
    ///   not UTF-8.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try InputFile.read(url)
        } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: error.reason)
        }
        try self.init(vocabTxt: data, source: url.path)
    }

    /// Parses vocab.txt content; `source` names it in errors.
    public convenience init(vocabTxt data: Data, source: String) throws {
        var tokens: [String] = []
        let whitespace = UnicodeTables.shared
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            let n = bytes.count
            while start < n {
                var end = start
                while end < n && bytes[end] != 0x0A { end += 1 }
                var stop = end
                if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
                guard let line = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self) else {
                    throw TokenizationError.invalidUTF8(path: source, line: tokens.count + 1)
                }
                // Trailing whitespace is dropped (Rust `str::trim_end`).
                var scalars = line.unicodeScalars[...]
                while let last = scalars.last, whitespace.flags(last.value) & UnicodeTables.whitespace != 0 {
                    scalars.removeLast()
                }
                tokens.append(scalars.count == line.unicodeScalars.count ? line : String(String.UnicodeScalarView(scalars)))
                start = end + 1
            }
        }
        if tokens.isEmpty { throw TokenizationError.emptyVocabulary(path: source) }
        self.init(tokens: tokens)
    }

    /// The id of `token` (exact bytes), or nil.
    public func id(for token: String) -> Int? { index[Array(token.utf8)] }

    /// The token text of `id`, or nil when no token has this id.
    public func token(for id: Int) -> String? {
        id >= 0 && id < idToToken.count ? idToToken[id] : nil
    }

    /// Every distinct token (as bytes) with the id a lookup gives.
    var lookupEntries: [([UInt8], Int)] { index.map { ($0.key, $0.value) } }

    /// vocab.txt content: one token per line, in id order (missing ids give empty lines).
    public func vocabTxt() -> String {
        var out = ""
        for token in idToToken { out += (token ?? "") + "\n" }
        return out
    }

    /// Writes vocab.txt atomically (a temporary file renamed into place).
    public func write(to url: URL) throws {
        do {
            try Data(vocabTxt().utf8).write(to: url, options: .atomic)
        } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: "cannot write: \(Vocabulary.reason(error))")
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return ns.localizedDescription
    }
}
