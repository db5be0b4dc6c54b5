import Foundation
import Tokenization

/// What can be wrong with fine-tuning data or its model directory, each naming the file and,
/// where there is one, the 1-based line.
///
/// ```swift
/// do { _ = try ClassificationDataset(tsv: url) } catch let error as FineTuningError {
///     print(error)   // "train.tsv:17: 3 columns, the header has 2"
/// }
/// ```
public enum FineTuningError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A line of a data file is malformed (wrong column count, bad label, empty text…).
    case badLine(file: String, line: Int, reason: String)
    /// A whole data file is unusable (missing, unreadable, no header, no example).
    case badFile(file: String, reason: String)
    /// The model directory does not fit the data or the task (labels, vocabulary, head).
    case modelMismatch(String)

    public var description: String {
        switch self {
        case let .badLine(file, line, reason): return "\(file):\(line): \(reason)"
        case let .badFile(file, reason): return "\(file): \(reason)"
        case let .modelMismatch(message): return "model: \(message)"
        }
    }
}

/// Reads a UTF-8 text file as lines without their terminators (LF or CRLF), numbered from 1.
enum TextLines {
    static func read(_ url: URL) throws -> [(number: Int, text: Substring)] {
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw FineTuningError.badFile(file: url.path, reason: "cannot be read: \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FineTuningError.badFile(file: url.path, reason: "is not valid UTF-8")
        }
        var out: [(Int, Substring)] = []
        var number = 0
        // Split on "\n" only: "\r\n" is one Character in Swift, so split by unicode scalars.
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(raw)
            if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
            out.append((number, line))
        }
        if let last = out.last, last.1.isEmpty { out.removeLast() }
        return out
    }
}
