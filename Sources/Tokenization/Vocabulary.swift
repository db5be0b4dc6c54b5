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
public final class Vocabulary: Sendable {
    private let idToToken: [String?]
    private let tokenToId: [String: Int]

    /// Number of ids (one more than the largest id).
    public var count: Int { idToToken.count }

    /// Builds a vocabulary whose ids are the positions in `tokens`.
    public init(tokens: [String]) {
        idToToken = tokens
        var map: [String: Int] = [:]
        map.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() { map[token] = id }
        tokenToId = map
    }

    /// Builds a vocabulary from an explicit token → id map (as in tokenizer.json).
    public init(tokenToId: [String: Int]) {
        let size = (tokenToId.values.max() ?? -1) + 1
        var tokens = [String?](repeating: nil, count: size)
        for (token, id) in tokenToId where id >= 0 { tokens[id] = token }
        idToToken = tokens
        self.tokenToId = tokenToId
    }

    /// Loads vocab.txt.
    /// - Throws: ``TokenizationError`` naming the file when it cannot be read, is empty or is
    ///   not UTF-8.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: Vocabulary.reason(error))
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

    /// The id of `token`, or nil.
    public func id(for token: String) -> Int? { tokenToId[token] }

    /// The token text of `id`, or nil when no token has this id.
    public func token(for id: Int) -> String? {
        id >= 0 && id < idToToken.count ? idToToken[id] : nil
    }

    /// Every (token, id) pair of the lookup table.
    public var tokenIDs: [String: Int] { tokenToId }

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
