import Foundation
import Testing
import BertKit
import Tokenization

/// The malformed-input corpus for SQuAD JSON files: each case a ``FineTuningError`` naming the
/// file, the JSON path or question id, and the problem — never a trap.
@Suite struct MalformedSquadCorpusTests {
    static func squad(context: String = #""Paris is the capital of France.""#, qa: String = #"{"id": "q1", "question": "What is the capital?", "answers": [{"text": "Paris", "answer_start": 0}]}"#,
                      extra: String = "") -> String {
        #"{"version": "1.1", "data": [{"title": "t", "paragraphs": [{"context": \#(context), "qas": [\#(qa)\#(extra)]}]}]}"#
    }

    static func qa(id: String = #""q1""#, question: String = #""What is the capital?""#,
                   answers: String = #"[{"text": "Paris", "answer_start": 0}]"#, more: String = "") -> String {
        #"{"id": \#(id), "question": \#(question), "answers": \#(answers)\#(more)}"#
    }

    static let cases: [(String, String, [String])] = [
        ("empty file", "", ["is empty"]),
        ("not JSON", #"{"data": ["#, ["not valid JSON", "at byte"]),
        ("top level array", "[]", ["top level is an array"]),
        ("no data", #"{"version": "1.1"}"#, ["missing \"data\""]),
        ("data an object", #"{"data": {}}"#, ["data is an object, expected an array"]),
        ("version a number", #"{"version": 2, "data": []}"#, ["version is a number"]),
        ("no question at all", #"{"data": []}"#, ["has no question"]),
        ("article a string", #"{"data": ["x"]}"#, ["data[0] is a string"]),
        ("no paragraphs", #"{"data": [{"title": "t"}]}"#, ["data[0]: missing \"paragraphs\""]),
        ("no context", #"{"data": [{"paragraphs": [{"qas": []}]}]}"#, ["data[0].paragraphs[0]: missing \"context\""]),
        ("context a number", squad(context: "7"), ["data[0].paragraphs[0].context is a number"]),
        ("empty context", squad(context: #""  ""#), ["data[0].paragraphs[0].context is empty"]),
        ("no id", squad(qa: #"{"question": "q", "answers": []}"#), ["data[0].paragraphs[0].qas[0]: missing \"id\""]),
        ("id a number", squad(qa: qa(id: "5")), ["qas[0].id is a number"]),
        ("empty question", squad(qa: qa(question: #""   ""#)), ["(id \"q1\").question is empty"]),
        ("no answers", squad(qa: #"{"id": "q1", "question": "q"}"#), ["(id \"q1\"): missing \"answers\""]),
        ("answers empty, not impossible", squad(qa: qa(answers: "[]")), ["(id \"q1\"): no answers and is_impossible is not true"]),
        ("impossible with answers", squad(qa: qa(more: #", "is_impossible": true"#)), ["is_impossible is true but it has 1 answers"]),
        ("is_impossible a string", squad(qa: qa(more: #", "is_impossible": "yes""#)), ["is_impossible is a string"]),
        ("answer text empty", squad(qa: qa(answers: #"[{"text": "", "answer_start": 0}]"#)), ["answers[0].text is empty"]),
        ("answer_start missing", squad(qa: qa(answers: #"[{"text": "Paris"}]"#)), ["answers[0]: missing \"answer_start\""]),
        ("answer_start a string", squad(qa: qa(answers: #"[{"text": "Paris", "answer_start": "0"}]"#)), ["answer_start is a string"]),
        ("answer_start 1.5", squad(qa: qa(answers: #"[{"text": "Paris", "answer_start": 1.5}]"#)), ["answer_start is not an integer"]),
        ("answer_start negative", squad(qa: qa(answers: #"[{"text": "Paris", "answer_start": -1}]"#)), ["answer_start -1", "outside the context"]),
        ("answer past the context", squad(qa: qa(answers: #"[{"text": "France.", "answer_start": 26}]"#)),
         ["answers[0].answer_start 26 with 7 characters", "(31 characters)"]),
        ("answer_start 2^70", squad(qa: qa(answers: #"[{"text": "Paris", "answer_start": 1180591620717411303424}]"#)), ["answer_start is not an integer"]),
        ("plausible answer outside", squad(qa: qa(answers: "[]", more: #", "is_impossible": true, "plausible_answers": [{"text": "x", "answer_start": 99}]"#)),
         ["plausible_answers[0].answer_start 99"]),
        ("duplicate id", squad(extra: ", " + qa(question: #""Again?""#)), ["qas[1] (id \"q1\"): duplicate id, first used at data[0].paragraphs[0].qas[0]"]),
        ("deep nesting", String(repeating: "[", count: 100_000), ["not valid JSON"]),
    ]

    @Test(arguments: cases)
    func malformedSquadFile(name: String, text: String, fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.json", text)
        try expectRefusal(FineTuningError.self, names: url.path, fragments, name) { _ = try SquadFile(url: url) }
    }

    @Test(arguments: ["fifo", "directory", "missing"])
    func unreadableSquadFile(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = scratch.path("dev.json")
        switch kind {
        case "fifo": try scratch.fifo("dev.json")
        case "directory": try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        default: break
        }
        try expectRefusal(FineTuningError.self, names: url.path, ["cannot be read"], kind) { _ = try SquadFile(url: url) }
    }

    @Test func mismatchedAnswerTextIsCountedNotRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.json", Self.squad(qa: Self.qa(answers: #"[{"text": "Berlin", "answer_start": 0}]"#)))
        let file = try SquadFile(url: url)
        #expect(file.mismatchedAnswers == ["q1"] && !file.examples[0].answerMatchesContext)
    }
}
