import Foundation

/// One row of a sentence (pair) classification file.
public struct ClassificationExample: Sendable, Equatable {
    /// 1-based line in the file, for messages.
    public var line: Int
    public var text: String
    /// The second sentence of a pair task (nil for single-sentence tasks).
    public var pair: String?
    /// The label as written (nil in an unlabelled file).
    public var label: String?

    public init(line: Int, text: String, pair: String? = nil, label: String? = nil) {
        self.line = line
        self.text = text
        self.pair = pair
        self.label = label
    }
}

/// A GLUE-style TSV file: a header row names the columns; every row has as many tab-separated
/// fields (no quoting, as GLUE's `csv.QUOTE_NONE`); LF or CRLF line ends.
///
/// Columns: `label` (optional: an unlabelled file is for prediction) and the text — the first
/// present of the pairs `sentence1/sentence2`, `question1/question2`, `question/sentence`,
/// `premise/hypothesis`, else one of `sentence`, `text`, `content`, else the only other column —
/// unless given explicitly.
///
/// ```swift
/// let file = try ClassificationFile(url: URL(fileURLWithPath: "sst2/train.tsv"))  // header: label<TAB>sentence
/// print(file.examples[0].text, file.examples[0].label ?? "-")
/// ```
public struct ClassificationFile: Sendable {
    public let url: URL
    public let columns: [String]
    public let textColumn: String
    public let pairColumn: String?
    public let labelColumn: String?
    public let examples: [ClassificationExample]

    static let pairs = [("sentence1", "sentence2"), ("question1", "question2"), ("question", "sentence"),
                        ("premise", "hypothesis")]
    static let singles = ["sentence", "text", "content"]

    /// - Throws: ``FineTuningError`` naming the file (and line): no header, a named column that is
    ///   missing, a row with the wrong number of fields, an empty text, a missing label.
    public init(url: URL, textColumn: String? = nil, pairColumn: String? = nil, labelColumn: String = "label") throws {
        self.url = url
        let lines = try TextLines.read(url)
        guard let header = lines.first, !header.text.isEmpty else {
            throw FineTuningError.badFile(file: url.path, reason: "is empty: expected a header row naming the columns")
        }
        let columns = header.text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        self.columns = columns
        let has = Set(columns)
        let label = has.contains(labelColumn) ? labelColumn : nil
        var text = textColumn, pair = pairColumn
        if text == nil {
            if let p = Self.pairs.first(where: { has.contains($0.0) && has.contains($0.1) }) {
                (text, pair) = (p.0, p.1)
            } else if let s = Self.singles.first(where: has.contains) {
                text = s
            } else if columns.count == (label == nil ? 1 : 2) {
                text = columns.first { $0 != labelColumn }
            }
        }
        guard let text else {
            throw FineTuningError.badFile(file: url.path, reason: "header \(columns) names no text column "
                + "(expected sentence, text, content, or a pair such as sentence1/sentence2)")
        }
        for name in [text] + (pair.map { [$0] } ?? []) where !has.contains(name) {
            throw FineTuningError.badFile(file: url.path, reason: "header \(columns) has no column \"\(name)\"")
        }
        self.textColumn = text
        self.pairColumn = pair
        self.labelColumn = label
        let ti = columns.firstIndex(of: text)!, pi = pair.flatMap { columns.firstIndex(of: $0) }
        let li = label.flatMap { columns.firstIndex(of: $0) }
        var examples: [ClassificationExample] = []
        for (number, row) in lines.dropFirst() {
            if row.isEmpty { continue }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw FineTuningError.badLine(file: url.path, line: number,
                                              reason: "\(fields.count) tab-separated fields, the header has \(columns.count)")
            }
            let a = String(fields[ti]), b = pi.map { String(fields[$0]) }
            guard !a.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw FineTuningError.badLine(file: url.path, line: number, reason: "empty \(text)")
            }
            let l = li.map { String(fields[$0]).trimmingCharacters(in: .whitespaces) }
            if let l, l.isEmpty { throw FineTuningError.badLine(file: url.path, line: number, reason: "empty \(labelColumn)") }
            examples.append(ClassificationExample(line: number, text: a, pair: b, label: l))
        }
        guard !examples.isEmpty else { throw FineTuningError.badFile(file: url.path, reason: "has a header but no example") }
        self.examples = examples
    }

    /// This file with its first `n` examples only.
    public func prefix(_ n: Int) -> ClassificationFile {
        ClassificationFile(url: url, columns: columns, textColumn: textColumn, pairColumn: pairColumn,
                           labelColumn: labelColumn, examples: Array(examples.prefix(n)))
    }

    init(url: URL, columns: [String], textColumn: String, pairColumn: String?, labelColumn: String?,
         examples: [ClassificationExample]) {
        self.url = url
        self.columns = columns
        self.textColumn = textColumn
        self.pairColumn = pairColumn
        self.labelColumn = labelColumn
        self.examples = examples
    }
}
