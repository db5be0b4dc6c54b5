import Foundation
import Testing
import BertKit
import TensorCore

/// The malformed-input corpus for CoNLL tagging files: each case must throw a typed error naming
/// the file (and line) and the problem — never trap — and leave no file behind.
@Suite struct MalformedCoNLLCorpusTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var tagColumn: Int? = nil
        var labels: [String]? = nil
        var fragments: [String]
        var description: String { name }

        init(_ name: String, _ text: String, tagColumn: Int? = nil, labels: [String]? = nil, _ fragments: [String]) {
            self.name = name
            bytes = Array(text.utf8)
            self.tagColumn = tagColumn
            self.labels = labels
            self.fragments = fragments
        }

        init(_ name: String, bytes: [UInt8], _ fragments: [String]) {
            self.name = name
            self.bytes = bytes
            self.fragments = fragments
        }
    }

    static let cases: [Case] = [
        Case("empty file", "", ["has no sentence"]),
        Case("blank lines only", "\n  \n\t\n", ["has no sentence"]),
        Case("-DOCSTART- only", "-DOCSTART- -X- -X- O\n\n", ["has no sentence"]),
        Case("token without tag on line 1", "EU\nrejects O\n", [":1", "1 column: expected the token and its tag"]),
        Case("token without tag on line 3", "EU B-ORG\nrejects O\ncall\n", [":3", "1 columns, line 1 has 2"]),
        Case("token holding a space", "EU NNP B-ORG\nNew York NNP B-LOC\n", [":2", "4 columns, line 1 has 3", "space"]),
        Case("CRLF with a short line", "EU B-ORG\r\nrejects O\r\n\r\ncall\r\n", [":4", "1 columns, line 1 has 2"]),
        Case("tag column past the end", "EU NNP B-ORG\n", tagColumn: 3, [":1", "3 columns, the tag is column 3"]),
        Case("tag outside the labels", "EU B-ORG\nx B-PER\n", labels: ["O", "B-ORG"], [":2", "tag \"B-PER\" is not in the labels"]),
        Case("invalid UTF-8", bytes: Array("EU B-ORG\nx ".utf8) + [0xC3, 0x28] + Array(" O\n".utf8), ["UTF-8"]),
        Case("NUL bytes", bytes: [0x00, 0x20, 0x4F, 0x0A, 0x00], [":2", "1 columns, line 1 has 2"]),
    ]

    @Test(arguments: cases)
    func malformedCoNLLFile(_ c: Case) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.conll", c.bytes)
        let before = scratch.listing()
        try expectRefusal(FineTuningError.self, names: url.path, c.fragments, c.name) {
            let file = try CoNLLFile(url: url, tagColumn: c.tagColumn, labels: c.labels)
            _ = try TagScheme(training: file, config: BertConfig())
        }
        #expect(scratch.listing() == before, "\(c.name): files left behind")
    }

    @Test(arguments: ["fifo", "directory", "missing"])
    func specialCoNLLFilesAreRefusedUnopened(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try MalformedTrainingDataCorpusTests.special(kind, named: "train.conll", in: scratch)
        try expectRefusal(FineTuningError.self, names: url.path, [MalformedTrainingDataCorpusTests.reason(kind)], kind) {
            _ = try CoNLLFile(url: url)
        }
    }

    /// A model whose config names its labels: a training tag outside them names its line.
    @Test func trainingTagOutsideTheModelsLabelsIsNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.conll", "EU B-ORG\n\nPeter B-PER\nsaid O\n")
        var config = BertConfig()
        TagScheme(names: ["O", "B-ORG"]).apply(to: &config)
        let file = try CoNLLFile(url: url)
        try expectRefusal(FineTuningError.self, names: url.path, [":3", "B-PER", "[\"O\", \"B-ORG\"]"], "unknown tag") {
            _ = try TagScheme(training: file, config: config)
        }
        // The same for an evaluation file the task encodes.
        let tags = TagScheme(names: ["O", "B-ORG"])
        try expectRefusal(FineTuningError.self, names: url.path, [":3", "B-PER"], "unknown eval tag") {
            _ = try tags.ids(of: file.sentences[1], file: url.path)
        }
    }

    @Test func tagColumnZeroIsASettingError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("train.conll", "EU B-ORG\n")
        #expect(throws: TrainingError.self) { _ = try CoNLLFile(url: url, tagColumn: 0) }
    }
}
