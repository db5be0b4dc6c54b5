import Foundation
import Testing
import BertKit

/// The malformed-input corpus for multiple-choice files (SWAG-style CSV and JSONL): each case must
/// throw a `FineTuningError` naming the file, the line and the problem — never trap or hang — and
/// leave no file behind.
@Suite struct MalformedChoiceCorpusTests {
    static let header = "sent1,sent2,ending0,ending1,ending2,ending3,label"

    static let csvCases: [(String, [UInt8], [String])] = [
        ("empty file", [], ["is empty"]),
        ("blank lines only", Array("\r\n\n  \n".utf8), ["is empty"]),
        ("header only", Array((header + "\n").utf8), ["has no example"]),
        ("no first-sentence column", Array("a,ending0,ending1\nx,y,z\n".utf8), [":1", "no sent1, context or question column"]),
        ("no ending0 column", Array("sent1,sent2,label\nx,y,0\n".utf8), [":1", "no ending0 column"]),
        ("one ending only", Array("sent1,ending0,label\nx,y,0\n".utf8), [":2", "1 ending: a question needs at least 2"]),
        ("too many fields on line 3", Array((header + "\na,b,c,d,e,f,0\na,b,c,d,e,f,0,9\n").utf8),
         [":3", "8 comma-separated fields, the header has 7"]),
        ("too few fields, CRLF", Array((header + "\r\na,b,c,d,e,f,0\r\na,b\r\n").utf8), [":3", "2 comma-separated fields"]),
        ("label 4 of 4 endings", Array((header + "\na,b,c,d,e,f,4\n").utf8), [":2", "label 4 is outside 0..<4"]),
        ("label -1", Array((header + "\na,b,c,d,e,f,-1\n").utf8), [":2", "label -1 is outside 0..<4"]),
        ("label not an integer", Array((header + "\na,b,c,d,e,f,second\n").utf8), [":2", "label \"second\" is not an integer"]),
        ("label 1.0", Array((header + "\na,b,c,d,e,f,1.0\n").utf8), [":2", "label \"1.0\" is not an integer"]),
        ("empty label", Array((header + "\na,b,c,d,e,f, \n").utf8), [":2", "empty label"]),
        ("label past Int", Array((header + "\na,b,c,d,e,f,99999999999999999999\n").utf8), [":2", "is not an integer"]),
        ("empty sent1", Array((header + "\n  ,b,c,d,e,f,0\n").utf8), [":2", "empty sent1"]),
        ("empty ending2", Array((header + "\na,b,c,d,,f,0\n").utf8), [":2", "empty ending2"]),
        ("quote never closed", Array((header + "\na,b,c,d,e,f,0\n\"a,b,c\n").utf8), [":3", "never closed"]),
        ("text after a closing quote", Array((header + "\n\"a\"x,b,c,d,e,f,0\n").utf8), [":2", "text after its closing quote"]),
        ("quote inside an unquoted field", Array((header + "\na\"b,b,c,d,e,f,0\n").utf8), [":2", "quote inside an unquoted value"]),
        ("quoted line break, then a short row", Array((header + "\n\"a\nb\",b,c,d,e,f,0\nx,y\n").utf8),
         [":4", "2 comma-separated fields"]),
        ("invalid UTF-8 in a field", Array((header + "\na,b,").utf8) + [0xC3, 0x28] + Array(",d,e,f,0\n".utf8),
         [":2", "field 3 is not valid UTF-8"]),
        ("label on some rows only", Array("sent1,ending0,ending1,label\na,b,c,0\n".utf8) + Array("a,b,c,\n".utf8),
         [":3", "empty label"]),
    ]

    @Test(arguments: csvCases)
    func malformedCSV(name: String, bytes: [UInt8], fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.csv", bytes)
        let before = scratch.listing()
        try expectRefusal(FineTuningError.self, names: url.path, fragments, name) {
            _ = try MultipleChoiceFile(url: url)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    static let good = #"{"context": "a man sits", "endings": ["down", "up", "still", "by"], "label": 1}"#

    static let jsonlCases: [(String, String, [String])] = [
        ("not JSON on line 2", good + "\n{\"context\": \n", [":2", "not valid JSON"]),
        ("a JSON array on line 2", good + "\n[1, 2]\n", [":2", "a JSON array, expected an object"]),
        ("a JSON array file", "[" + good + "]\n", ["is a JSON array", "JSON Lines"]),
        ("no context, sent1 or question", #"{"endings": ["a", "b"], "label": 0}"#, [":1", "no \"sent1\", \"context\" or \"question\" key"]),
        ("no endings", #"{"context": "a", "label": 0}"#, [":1", "no \"endings\" or \"ending0\" key"]),
        ("SWAG keys without ending0", #"{"sent1": "a", "sent2": "b", "ending1": "c", "label": 0}"#, [":1", "no \"endings\" or \"ending0\""]),
        ("endings a string", #"{"context": "a", "endings": "b c", "label": 0}"#, [":1", "endings is a JSON string, expected an array"]),
        ("an ending a number", #"{"context": "a", "endings": ["b", 7], "label": 0}"#, [":1", "endings[1] is a JSON number"]),
        ("an empty ending", #"{"context": "a", "endings": ["b", " "], "label": 0}"#, [":1", "empty endings[1]"]),
        ("sent1 a number", #"{"sent1": 5, "sent2": "b", "ending0": "c", "ending1": "d", "label": 0}"#, [":1", "sent1 is a JSON number"]),
        ("sent2 an object", #"{"sent1": "a", "sent2": {}, "ending0": "c", "ending1": "d", "label": 0}"#, [":1", "sent2 is a JSON object"]),
        ("label outside 0..<4", good.replacingOccurrences(of: "\"label\": 1", with: "\"label\": 4"), [":1", "label 4 is outside 0..<4"]),
        ("label 1.5", good.replacingOccurrences(of: "\"label\": 1", with: "\"label\": 1.5"), [":1", "label 1.5 is not an integer"]),
        ("label 1e400", good.replacingOccurrences(of: "\"label\": 1", with: "\"label\": 1e400"), [":1", "is not an integer"]),
        ("label true", good.replacingOccurrences(of: "\"label\": 1", with: "\"label\": true"), [":1", "label is a JSON boolean"]),
        ("label a word", good.replacingOccurrences(of: "\"label\": 1", with: "\"label\": \"one\""), [":1", "label \"one\" is not an integer"]),
        ("3 endings after 4", good + "\n" + #"{"context": "a", "endings": ["b", "c", "d"], "label": 0}"#, [":2", "3 endings, line 1 has 4"]),
        ("no label after a label", good + "\n\n" + #"{"context": "a", "endings": ["b", "c", "d", "e"]}"#, [":3", "no label, line 1 has one"]),
        ("a label after none", #"{"context": "a", "endings": ["b", "c"]}"# + "\n" + #"{"context": "a", "endings": ["b", "c"], "label": 0}"#,
         [":2", "a label, line 1 has none"]),
        ("200,000-deep nesting", String(repeating: #"{"a": "#, count: 200_000), [":1", "not valid JSON"]),
        ("NUL bytes", "\u{0}\u{0}\n", [":1", "not valid JSON"]),
    ]

    @Test(arguments: jsonlCases)
    func malformedJSONL(name: String, text: String, fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.jsonl", text)
        let before = scratch.listing()
        try expectRefusal(FineTuningError.self, names: url.path, fragments, name) {
            _ = try MultipleChoiceFile(url: url)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    @Test(arguments: ["fifo", "directory", "missing"])
    func specialFilesAreRefusedUnopened(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try MalformedTrainingDataCorpusTests.special(kind, named: "train.csv", in: scratch)
        try expectRefusal(FineTuningError.self, names: url.path, [MalformedTrainingDataCorpusTests.reason(kind)], kind) {
            _ = try MultipleChoiceFile(url: url)
        }
    }

    /// What the reader accepts: a BOM, a header-free JSONL guess by the first character, quoted
    /// fields with every RFC 4180 feature, a file without a final line end.
    @Test func wellFormedEdgesAreRead() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let csv = try scratch.write("a.csv", [0xEF, 0xBB, 0xBF] + Array("sent1,sent2,ending0,ending1\r\n\"x, \"\"y\"\"\",,\"p\r\nq\",r".utf8))
        let file = try MultipleChoiceFile(url: csv)
        #expect(file.examples == [MultipleChoiceExample(line: 2, context: "x, \"y\"", header: "", endings: ["p\r\nq", "r"])])
        #expect(!file.isLabelled && file.choiceCount == 2)
        let guessed = try scratch.write("data.txt", "\n  " + Self.good + "\r\n")
        let g = try MultipleChoiceFile(url: guessed)
        #expect(g.format == .jsonl && g.examples[0].line == 2 && g.examples[0].label == 1)
        #expect(try MultipleChoiceFile(url: guessed, format: .jsonl).examples == g.examples)
        let question = try scratch.write("q.jsonl", #"{"context": "c", "question": "q", "endings": ["a", "b"], "label": "1"}"#)
        #expect(try MultipleChoiceFile(url: question).examples[0].choices == ["q a", "q b"])
    }
}
