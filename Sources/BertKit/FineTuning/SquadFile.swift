import Foundation
import StrictJSON
import Tokenization

/// One answer span of a SQuAD question: its text and where it starts in the context.
///
/// `start` counts Unicode scalars (code points) of the context — Python's `str` indices, which
/// is what SQuAD's `answer_start` means — not `Character`s or UTF-16 units.
public struct SquadAnswer: Sendable, Equatable {
    public var text: String
    public var start: Int

    public init(text: String, start: Int) {
        self.text = text
        self.start = start
    }

    /// The scalar range the answer claims in its context.
    public var range: Range<Int> { start..<(start + text.unicodeScalars.count) }
}

/// One question of a SQuAD file with its paragraph.
public struct SquadExample: Sendable, Equatable {
    public var id: String
    public var title: String
    public var question: String
    public var context: String
    /// Ground-truth answers (empty for a SQuAD v2 unanswerable question).
    public var answers: [SquadAnswer]
    /// SQuAD v2: the question has no answer in the paragraph.
    public var isImpossible: Bool
    /// SQuAD v2: spans that look like answers to an unanswerable question (kept, never trained on).
    public var plausibleAnswers: [SquadAnswer]
    /// Where the question is in the file, e.g. `data[0].paragraphs[2].qas[1]`, for messages.
    public var path: String

    public init(id: String, title: String = "", question: String, context: String, answers: [SquadAnswer],
                isImpossible: Bool = false, plausibleAnswers: [SquadAnswer] = [], path: String = "") {
        self.id = id
        self.title = title
        self.question = question
        self.context = context
        self.answers = answers
        self.isImpossible = isImpossible
        self.plausibleAnswers = plausibleAnswers
        self.path = path
    }

    /// True when the first answer's text is exactly the context's scalars at `answer_start`
    /// (vacuously true for an unanswerable question).
    public var answerMatchesContext: Bool {
        guard let first = answers.first else { return true }
        let scalars = Array(context.unicodeScalars)
        let r = first.range
        guard r.upperBound <= scalars.count else { return false }
        return scalars[r].elementsEqual(first.text.unicodeScalars)
    }
}

/// A SQuAD v1.1 / v2.0 JSON file: `data → [{title, paragraphs → [{context, qas → [{id, question,
/// answers: [{text, answer_start}], is_impossible?, plausible_answers?}]}]}]`.
///
/// Checked as it is read, each problem a ``FineTuningError/badFile(file:reason:)`` naming the file,
/// the JSON path and the question id: invalid JSON (with the byte), a missing or mistyped field,
/// an empty context or question, a duplicate id, an empty answer text, an `answer_start` that is
/// negative or puts the answer past the end of the context, answers on an `is_impossible`
/// question, and an answerable question without answers.
///
/// An answer whose text differs from the context slice at its `answer_start` is **not** an error:
/// such questions are listed in ``mismatchedAnswers``, training skips them (Google's
/// `run_squad.py` skips them too, with "Could not find answer"; HF's `run_qa.py` trains on the
/// offsets regardless), and evaluation, which only compares answer texts, keeps them.
///
/// ```swift
/// let dev = try SquadFile(url: URL(fileURLWithPath: "dev-v1.1.json"))
/// print(dev.examples.count, dev.examples[0].question, dev.examples[0].answers.map(\.text))
/// ```
public struct SquadFile: Sendable {
    public let url: URL
    /// The file's `version` field, when it has one.
    public let version: String?
    public let examples: [SquadExample]

    /// - Throws: ``FineTuningError/badFile(file:reason:)`` as listed above.
    public init(url: URL) throws {
        let path = url.path
        func fail(_ reason: String) -> FineTuningError { .badFile(file: path, reason: reason) }
        let data: Data
        do { data = try InputFile.read(url) } catch { throw fail("cannot be read: \(error.reason)") }
        guard !data.isEmpty else { throw fail("is empty: expected a SQuAD JSON object with a \"data\" array") }
        let root: JSONValue
        do { root = try JSONParser.parse(Array(data)) } catch { throw fail("is not valid JSON: \(error.description)") }
        guard case .object = root else { throw fail("the top level is \(Self.kind(root)), expected an object with a \"data\" array") }
        var version: String?
        if let v = root["version"] {
            guard case let .string(s) = v else { throw fail("version is \(Self.kind(v)), expected a string") }
            version = s
        }
        let articles = try Self.array(root, "data", at: "", fail)
        var examples: [SquadExample] = []
        var seen: [String: String] = [:]
        for (a, article) in articles.enumerated() {
            let articlePath = "data[\(a)]"
            guard case .object = article else { throw fail("\(articlePath) is \(Self.kind(article)), expected an object") }
            let title = try Self.optionalString(article, "title", at: articlePath, fail) ?? ""
            for (p, paragraph) in try Self.array(article, "paragraphs", at: articlePath, fail).enumerated() {
                let paragraphPath = "\(articlePath).paragraphs[\(p)]"
                guard case .object = paragraph else { throw fail("\(paragraphPath) is \(Self.kind(paragraph)), expected an object") }
                let context = try Self.string(paragraph, "context", at: paragraphPath, fail)
                guard !context.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
                    throw fail("\(paragraphPath).context is empty")
                }
                let contextLength = context.unicodeScalars.count
                for (q, qa) in try Self.array(paragraph, "qas", at: paragraphPath, fail).enumerated() {
                    var qaPath = "\(paragraphPath).qas[\(q)]"
                    guard case .object = qa else { throw fail("\(qaPath) is \(Self.kind(qa)), expected an object") }
                    let id = try Self.string(qa, "id", at: qaPath, fail)
                    guard !id.isEmpty else { throw fail("\(qaPath).id is empty") }
                    qaPath += " (id \"\(id)\")"
                    if let other = seen[id] { throw fail("\(qaPath): duplicate id, first used at \(other)") }
                    seen[id] = qaPath
                    let question = try Self.string(qa, "question", at: qaPath, fail)
                    guard !question.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { throw fail("\(qaPath).question is empty") }
                    var impossible = false
                    if let v = qa["is_impossible"] {
                        guard case let .bool(b) = v else { throw fail("\(qaPath).is_impossible is \(Self.kind(v)), expected true or false") }
                        impossible = b
                    }
                    func answers(_ key: String, required: Bool) throws -> [SquadAnswer] {
                        guard let list = qa[key] else {
                            if required { throw fail("\(qaPath): missing \"\(key)\"") }
                            return []
                        }
                        guard case let .array(items) = list else { throw fail("\(qaPath).\(key) is \(Self.kind(list)), expected an array") }
                        return try items.enumerated().map { k, item in
                            let at = "\(qaPath).\(key)[\(k)]"
                            guard case .object = item else { throw fail("\(at) is \(Self.kind(item)), expected an object") }
                            let text = try Self.string(item, "text", at: at, fail)
                            guard !text.isEmpty else { throw fail("\(at).text is empty") }
                            guard let v = item["answer_start"] else { throw fail("\(at): missing \"answer_start\"") }
                            guard let start = v.integer else {
                                throw fail("\(at).answer_start is \(v.typeName == "number" ? "not an integer" : Self.kind(v)), expected an integer")
                            }
                            let length = text.unicodeScalars.count
                            guard start >= 0, start <= contextLength - length else {
                                throw fail("\(at).answer_start \(start) with \(length) characters of text ends outside the context "
                                    + "(\(contextLength) characters)")
                            }
                            return SquadAnswer(text: text, start: start)
                        }
                    }
                    let given = try answers("answers", required: true)
                    let plausible = try answers("plausible_answers", required: false)
                    if impossible && !given.isEmpty {
                        throw fail("\(qaPath): is_impossible is true but it has \(given.count) answers")
                    }
                    if !impossible && given.isEmpty {
                        throw fail("\(qaPath): no answers and is_impossible is not true")
                    }
                    examples.append(SquadExample(id: id, title: title, question: question, context: context, answers: given,
                                                 isImpossible: impossible, plausibleAnswers: plausible, path: qaPath))
                }
            }
        }
        guard !examples.isEmpty else { throw fail("has no question") }
        self.url = url
        self.version = version
        self.examples = examples
    }

    init(url: URL, version: String?, examples: [SquadExample]) {
        self.url = url
        self.version = version
        self.examples = examples
    }

    /// This file with its first `n` questions only.
    public func prefix(_ n: Int) -> SquadFile { SquadFile(url: url, version: version, examples: Array(examples.prefix(n))) }

    /// Ids of answerable questions whose first answer's text is not the context at `answer_start`.
    public var mismatchedAnswers: [String] { examples.filter { !$0.answerMatchesContext }.map(\.id) }

    /// True when some question is unanswerable (a SQuAD v2 file).
    public var hasUnanswerable: Bool { examples.contains(where: \.isImpossible) }

    /// "an object", "a string", … for messages.
    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .null: return "null"
        default: return "a \(value.typeName)"
        }
    }

    static func array(_ value: JSONValue, _ key: String, at path: String, _ fail: (String) -> FineTuningError) throws -> [JSONValue] {
        let name = path.isEmpty ? key : "\(path).\(key)"
        guard let v = value[key] else { throw fail("\(path.isEmpty ? "the top level" : path): missing \"\(key)\"") }
        guard case let .array(items) = v else { throw fail("\(name) is \(Self.kind(v)), expected an array") }
        return items
    }

    static func string(_ value: JSONValue, _ key: String, at path: String, _ fail: (String) -> FineTuningError) throws -> String {
        guard let s = try optionalString(value, key, at: path, fail) else { throw fail("\(path): missing \"\(key)\"") }
        return s
    }

    static func optionalString(_ value: JSONValue, _ key: String, at path: String, _ fail: (String) -> FineTuningError) throws -> String? {
        guard let v = value[key] else { return nil }
        guard case let .string(s) = v else { throw fail("\(path).\(key) is \(Self.kind(v)), expected a string") }
        return s
    }
}
