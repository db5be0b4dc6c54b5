import Foundation
import TensorCore

/// One sentence of a CoNLL file: its words and (in a tagged file) one tag per word.
public struct CoNLLSentence: Sendable, Equatable {
    public var words: [String]
    /// One tag per word; nil in an untagged file (for prediction).
    public var tags: [String]?
    /// The 1-based line of each word, for messages.
    public var lines: [Int]

    public init(words: [String], tags: [String]? = nil, lines: [Int]) {
        self.words = words
        self.tags = tags
        self.lines = lines
    }

    /// The line of the first word.
    public var line: Int { lines.first ?? 0 }
}

/// A CoNLL column file (CoNLL-2003, WNUT, OntoNotes exports): one token per line, its columns
/// separated by spaces or tabs; the token is the first column and its tag the last one (or
/// column `tagColumn`, 0-based, the token being column 0); a blank line ends a sentence;
/// `-DOCSTART-` lines are skipped (and end a sentence); LF or CRLF line ends. Every token line
/// has the same number of columns as the first (so a token holding a space is caught, not
/// silently cut).
///
/// A file whose first token line has one column is untagged (words only, for `bert predict`)
/// when `requireTags` is false.
///
/// ```swift
/// // EU NNP B-NP B-ORG
/// // rejects VBZ B-VP O
/// let file = try CoNLLFile(url: URL(fileURLWithPath: "conll2003/train.txt"))
/// file.sentences[0].words   // ["EU", "rejects", …]
/// file.tagSet               // ["B-LOC", "B-MISC", …, "O"]
/// ```
public struct CoNLLFile: Sendable {
    public let url: URL
    /// The tag's column (0-based) as asked for; nil: the last column.
    public let tagColumn: Int?
    /// Columns on every token line.
    public let columns: Int
    public let sentences: [CoNLLSentence]

    /// - Parameters:
    ///   - tagColumn: the tag's column, 0-based (≥ 1: column 0 is the token); nil: the last.
    ///   - labels: when given, every tag must be one of them.
    ///   - requireTags: false allows a file with the token column alone.
    /// - Throws: ``FineTuningError`` naming the file and line: unreadable or not UTF-8, a line
    ///   with too few columns (or another count than the first token line), no tag column, a tag
    ///   outside `labels`, no sentence at all; `TrainingError.invalidSetting` for a `tagColumn` below 1.
    public init(url: URL, tagColumn: Int? = nil, labels: [String]? = nil, requireTags: Bool = true) throws {
        if let tagColumn, tagColumn < 1 {
            throw TrainingError.invalidSetting("tag column \(tagColumn): column 0 holds the token, the tag is column 1 or later")
        }
        self.url = url
        self.tagColumn = tagColumn
        let file = url.path
        let known = labels.map(Set.init)
        var sentences: [CoNLLSentence] = []
        var current = CoNLLSentence(words: [], tags: [], lines: [])
        var columns: (count: Int, line: Int)?
        var tagged = true
        func end() {
            if !current.words.isEmpty { sentences.append(current) }
            current = CoNLLSentence(words: [], tags: tagged ? [] : nil, lines: [])
        }
        for (number, text) in try TextLines.read(url) {
            // Split code points, not Characters: " \u{301}" is one Character but two separate code points.
            let fields = text.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String(Substring($0)) }
            if fields.isEmpty || fields[0] == "-DOCSTART-" { end(); continue }
            if let first = columns {
                guard fields.count == first.count else {
                    throw FineTuningError.badLine(file: file, line: number, reason: "\(fields.count) columns, line \(first.line) "
                                                  + "has \(first.count) (a token holding a space?)")
                }
            } else {
                columns = (fields.count, number)
                tagged = tagColumn != nil || fields.count > 1
                if !tagged && requireTags {
                    throw FineTuningError.badLine(file: file, line: number, reason: "1 column: expected the token and its tag")
                }
                current.tags = tagged ? [] : nil
            }
            var tag: String?
            if tagged {
                let column = tagColumn ?? fields.count - 1
                guard column < fields.count else {
                    throw FineTuningError.badLine(file: file, line: number,
                                                  reason: "\(fields.count) columns, the tag is column \(column) (0-based)")
                }
                tag = String(fields[column])
                if let known, !known.contains(tag!) {
                    throw FineTuningError.badLine(file: file, line: number, reason: "tag \"\(tag!)\" is not in the labels \(labels!)")
                }
            }
            current.words.append(String(fields[0]))
            if let tag { current.tags!.append(tag) }
            current.lines.append(number)
        }
        end()
        guard let columns, !sentences.isEmpty else {
            throw FineTuningError.badFile(file: file, reason: "has no sentence (only blank or -DOCSTART- lines)")
        }
        self.columns = columns.count
        self.sentences = sentences
    }

    init(url: URL, tagColumn: Int?, columns: Int, sentences: [CoNLLSentence]) {
        self.url = url
        self.tagColumn = tagColumn
        self.columns = columns
        self.sentences = sentences
    }

    /// True when the sentences carry tags.
    public var isTagged: Bool { sentences.first?.tags != nil }

    /// The distinct tags, sorted by code point (transformers' `run_ner.py` `get_label_list`).
    public var tagSet: [String] {
        Array(Set(sentences.flatMap { $0.tags ?? [] })).sorted(by: EntityMetrics.codePointOrder)
    }

    /// This file with its first `n` sentences only.
    public func prefix(_ n: Int) -> CoNLLFile {
        CoNLLFile(url: url, tagColumn: tagColumn, columns: columns, sentences: Array(sentences.prefix(n)))
    }

    /// Throws for the first tag (in file order) that is not in `labels`.
    /// - Throws: ``FineTuningError/badLine(file:line:reason:)`` naming this file and the line.
    public func check(labels: [String]) throws {
        let known = Set(labels)
        for s in sentences {
            for (tag, line) in zip(s.tags ?? [], s.lines) where !known.contains(tag) {
                throw FineTuningError.badLine(file: url.path, line: line, reason: "tag \"\(tag)\" is not in the labels \(labels)")
            }
        }
    }
}
