import Foundation
import StrictJSON
import Tokenization

/// One multiple-choice question: a first sentence and N candidate second sentences.
public struct MultipleChoiceExample: Sendable, Equatable {
    /// 1-based line of the file where the example starts, for messages.
    public var line: Int
    /// The first sentence (SWAG's `sent1`, or `context` / `question`).
    public var context: String
    /// The start of the second sentence every ending continues (SWAG's `sent2`); "" when none.
    public var header: String
    public var endings: [String]
    /// The index of the right ending (nil in an unlabelled file).
    public var label: Int?

    public init(line: Int, context: String, header: String = "", endings: [String], label: Int? = nil) {
        self.line = line
        self.context = context
        self.header = header
        self.endings = endings
        self.label = label
    }

    /// The N second sentences: `header + " " + ending` as HF run_swag builds them
    /// (`f"{header} {ending}"`), the ending alone when there is no header.
    public var choices: [String] { endings.map { header.isEmpty ? $0 : header + " " + $0 } }
}

/// A SWAG-style multiple-choice file, CSV or JSON Lines; every example has the same number N of
/// endings; the label (index of the right ending) is optional (a file for prediction).
///
/// - CSV (RFC 4180 quoting, LF or CRLF, ``CSVRecords``): a header names the columns, as SWAG's
///   release does (`video-id, fold-ind, startphrase, sent1, sent2, gold-source, ending0…ending3,
///   label`); N is the number of `ending0…ending{N-1}` columns; other columns are ignored.
/// - JSONL: one object per line, with the same keys, or `{"context" | "question", "endings": [...],
///   "label"}`.
///
/// Sentences, as HF run_swag pairs them: the first is `sent1` (else `context`, else `question`); the
/// second is `sent2 + " " + ending_k` — or `question + " " + ending_k` when there is a `context`, or
/// the ending alone.
///
/// ```swift
/// let file = try MultipleChoiceFile(url: URL(fileURLWithPath: "swag/val.csv"))
/// print(file.choiceCount, file.examples[0].choices, file.examples[0].label ?? -1)
/// ```
public struct MultipleChoiceFile: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    public let url: URL
    public let format: Format
    /// N: endings per example.
    public let choiceCount: Int
    /// True when every example has a label (false: none has).
    public let isLabelled: Bool
    public let examples: [MultipleChoiceExample]

    /// Reads `url` as `format` (nil: `.csv` / `.jsonl` / `.json` by extension, else JSONL when the
    /// first character is `{`).
    /// - Throws: ``FineTuningError`` naming the file and line: a file that cannot be read or is not
    ///   UTF-8, no first-sentence or `ending0` column, a row with the wrong number of fields, a
    ///   line that is not a JSON object or lacks a key, fewer than 2 endings, a different number
    ///   of endings than the first example, an empty sentence or ending, a label that is not an
    ///   integer in 0..<N, a label on some examples only, no example.
    public init(url: URL, format: Format? = nil) throws {
        self.url = url
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw FineTuningError.badFile(file: url.path, reason: "cannot be read: \(error.reason)")
        }
        let bytes = [UInt8](data)
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        guard first != nil else { throw FineTuningError.badFile(file: url.path, reason: "is empty: expected a header row or JSON lines") }
        let ext = url.pathExtension.lowercased()
        let chosen: Format
        if let format { chosen = format } else if ext == "csv" { chosen = .csv } else {
            chosen = ["jsonl", "json"].contains(ext) || first == UInt8(ascii: "{") ? .jsonl : .csv
        }
        self.format = chosen
        var reader = Reader(file: url.path)
        switch chosen {
        case .csv: try reader.readCSV(bytes)
        case .jsonl: try reader.readJSONLines(bytes, startsWithArray: first == UInt8(ascii: "["))
        }
        guard !reader.examples.isEmpty else { throw FineTuningError.badFile(file: url.path, reason: "has no example") }
        examples = reader.examples
        choiceCount = reader.examples[0].endings.count
        isLabelled = reader.examples[0].label != nil
    }

    /// This file with its first `n` examples only.
    public func prefix(_ n: Int) -> MultipleChoiceFile {
        MultipleChoiceFile(url: url, format: format, choiceCount: choiceCount, isLabelled: isLabelled,
                           examples: Array(examples.prefix(n)))
    }

    init(url: URL, format: Format, choiceCount: Int, isLabelled: Bool, examples: [MultipleChoiceExample]) {
        self.url = url
        self.format = format
        self.choiceCount = choiceCount
        self.isLabelled = isLabelled
        self.examples = examples
    }
}

/// The record → example rules both formats share, and the checks across examples.
private struct Reader {
    let file: String
    var examples: [MultipleChoiceExample] = []

    init(file: String) { self.file = file }

    func fail(_ line: Int, _ reason: String) -> FineTuningError { .badLine(file: file, line: line, reason: reason) }

    /// Which keys hold the first sentence and the header: (sent1, sent2), (context, question),
    /// (question, none).
    static func sentenceKeys(_ has: (String) -> Bool) -> (first: String, header: String?)? {
        if has("sent1") { return ("sent1", "sent2") }
        if has("context") { return ("context", "question") }
        if has("question") { return ("question", nil) }
        return nil
    }

    /// Checks one example against the rules and the first example, then keeps it.
    mutating func add(line: Int, context: String, header: String, endings: [String], label: Int?, firstKey: String,
                      endingName: (Int) -> String) throws {
        guard endings.count >= 2 else { throw fail(line, "\(endings.count) ending: a question needs at least 2") }
        if let first = examples.first {
            guard endings.count == first.endings.count else {
                throw fail(line, "\(endings.count) endings, line \(first.line) has \(first.endings.count): every example needs the same number")
            }
            if (label == nil) != (first.label == nil) {
                throw fail(line, label == nil ? "no label, line \(first.line) has one: label every example or none"
                    : "a label, line \(first.line) has none: label every example or none")
            }
        }
        guard !context.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail(line, "empty \(firstKey)") }
        for (k, e) in endings.enumerated() where e.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw fail(line, "empty \(endingName(k))")
        }
        if let label, !(0..<endings.count).contains(label) {
            throw fail(line, "label \(label) is outside 0..<\(endings.count) (\(endings.count) endings)")
        }
        examples.append(MultipleChoiceExample(line: line, context: context, header: header, endings: endings, label: label))
    }

    /// An integer label written as text (CSV, or a JSON string).
    func label(_ text: String, line: Int) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw fail(line, "empty label") }
        guard let v = Int(t) else { throw fail(line, "label \"\(t)\" is not an integer") }
        return v
    }

    mutating func readCSV(_ bytes: [UInt8]) throws {
        let records = try CSVRecords.parse(bytes, file: file)
        guard let header = records.first else { throw FineTuningError.badFile(file: file, reason: "is empty: expected a header row") }
        let columns = header.fields
        let index = { (name: String) in columns.firstIndex(of: name) }
        guard let keys = Self.sentenceKeys({ index($0) != nil }) else {
            throw fail(header.line, "header \(columns) has no sent1, context or question column")
        }
        var endingColumns: [Int] = []
        while let k = index("ending\(endingColumns.count)") { endingColumns.append(k) }
        guard !endingColumns.isEmpty else { throw fail(header.line, "header \(columns) has no ending0 column") }
        let first = index(keys.first)!, head = keys.header.flatMap(index), labelColumn = index("label")
        for (line, fields) in records.dropFirst() {
            guard fields.count == columns.count else {
                throw fail(line, "\(fields.count) comma-separated fields, the header has \(columns.count)")
            }
            try add(line: line, context: fields[first], header: head.map { fields[$0] } ?? "",
                    endings: endingColumns.map { fields[$0] }, label: try labelColumn.map { try label(fields[$0], line: line) },
                    firstKey: keys.first, endingName: { "ending\($0)" })
        }
    }

    mutating func readJSONLines(_ bytes: [UInt8], startsWithArray: Bool) throws {
        if startsWithArray {
            throw FineTuningError.badFile(file: file, reason: "is a JSON array: expected JSON Lines, one object per line")
        }
        var number = 0
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var line = Array(slice)
            if number == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(line, maxDepth: 16) } catch {
                throw fail(number, "not valid JSON: \(error.description)")
            }
            guard case .object(let members) = value else { throw fail(number, "a JSON \(value.typeName), expected an object") }
            let has = { (key: String) in members.contains { $0.key == key && !$0.value.isNull } }
            func string(_ key: String, _ v: JSONValue?) throws -> String? {
                switch v {
                case nil, .null?: return nil
                case let .string(s)?: return s
                case let v?: throw fail(number, "\(key) is a JSON \(v.typeName), expected a string")
                }
            }
            guard let keys = Self.sentenceKeys(has) else {
                throw fail(number, "no \"sent1\", \"context\" or \"question\" key (keys: \(members.map(\.key)))")
            }
            let context = try string(keys.first, value[keys.first])!
            let header = try keys.header.flatMap { try string($0, value[$0]) } ?? ""
            var endings: [String] = []
            let endingName: (Int) -> String
            if has("endings") {
                guard case let .array(items)? = value["endings"] else {
                    throw fail(number, "endings is a JSON \(value["endings"]!.typeName), expected an array of strings")
                }
                for (k, item) in items.enumerated() { endings.append(try string("endings[\(k)]", item) ?? "") }
                endingName = { "endings[\($0)]" }
            } else {
                while let e = try string("ending\(endings.count)", value["ending\(endings.count)"]) { endings.append(e) }
                guard !endings.isEmpty else { throw fail(number, "no \"endings\" or \"ending0\" key (keys: \(members.map(\.key)))") }
                endingName = { "ending\($0)" }
            }
            var label: Int?
            switch value["label"] {
            case nil, .null?: label = nil
            case let .number(text)?:
                guard let v = Int(text) else { throw fail(number, "label \(text) is not an integer") }
                label = v
            case let .string(text)?: label = try self.label(text, line: number)
            case let v?: throw fail(number, "label is a JSON \(v.typeName), expected an integer")
            }
            try add(line: number, context: context, header: header, endings: endings, label: label, firstKey: keys.first,
                    endingName: endingName)
        }
    }
}
