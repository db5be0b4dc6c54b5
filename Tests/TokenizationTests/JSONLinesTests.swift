import Foundation
import Testing
import Tokenization

/// `bert tokenize` output: byte for byte what the HF-equivalent script prints (HF encode_batch over
/// the lines split on "\n" only, invalid UTF-8 replaced, one compact JSON object per line).
@Suite struct JSONLinesTests {
    let input = [UInt8](Fixtures.data("jsonlines-input.txt"))
    let expected = [UInt8](Fixtures.data("jsonlines-uncased.txt"))
    let pairInput = [UInt8](Fixtures.data("jsonlines-pairs-input.txt"))
    let pairExpected = [UInt8](Fixtures.data("jsonlines-pairs-uncased-20.txt"))

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let lines = (String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false),
                     String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false))
        for (k, (x, y)) in zip(lines.0, lines.1).enumerated() where x != y {
            return "line \(k + 1):\n got  \(x.prefix(300))\n want \(y.prefix(300))"
        }
        return "line counts \(lines.0.count) vs \(lines.1.count)"
    }

    @Test func singleLinesMatchHF() throws {
        // The input has "\r", U+0085 and U+2028 inside lines and invalid UTF-8.
        #expect(input.contains(0x0D))
        let encoder = JSONLinesEncoder(tokenizer: Fixtures.settings["uncased"]!, pairs: false)
        let got = try encoder.encode(input)
        #expect(got == expected, "\(Self.firstDifference(got, expected))")
    }

    @Test func pairsWithTruncationMatchHF() throws {
        var tokenizer = Fixtures.settings["uncased"]!
        tokenizer.truncation = Truncation(maxLength: 20, strategy: .longestFirst)
        let got = try JSONLinesEncoder(tokenizer: tokenizer, pairs: true).encode(pairInput)
        #expect(got == pairExpected, "\(Self.firstDifference(got, pairExpected))")
    }

    /// Output does not depend on how the input is cut into blocks (the CLI streams).
    @Test func blocksGiveTheSameOutput() throws {
        let encoder = JSONLinesEncoder(tokenizer: Fixtures.settings["uncased"]!, pairs: false)
        var out: [UInt8] = []
        var start = 0
        var line = 1
        var cuts = 0
        for (k, byte) in input.enumerated() where byte == 0x0A {
            if (k * 7) % 5 == 0 || k == input.count - 1 {
                let block = Array(input[start...k])
                out += try encoder.encode(block, firstLine: line)
                line += block.filter { $0 == 0x0A }.count
                start = k + 1
                cuts += 1
            }
        }
        out += try encoder.encode(Array(input[start...]), firstLine: line)
        #expect(cuts > 3)
        #expect(out == expected)
    }

    @Test func lastLineWithoutNewlineAndEmptyInput() throws {
        let encoder = JSONLinesEncoder(tokenizer: Fixtures.settings["uncased"]!, pairs: false)
        #expect(try encoder.encode([]) == [])
        let one = try encoder.encode(Array("hello".utf8))
        #expect(String(decoding: one, as: UTF8.self) == #"{"ids":[101,7592,102],"type_ids":[0,0,0],"offsets":[[0,0],[0,5],[0,0]]}"# + "\n")
        let two = try encoder.encode(Array("hello\n\n".utf8))
        #expect(String(decoding: two, as: UTF8.self).split(separator: "\n").count == 2)
    }

    @Test func pairLineWithoutTabIsAnErrorNamingTheLine() throws {
        let encoder = JSONLinesEncoder(tokenizer: Fixtures.settings["uncased"]!, pairs: true)
        #expect(throws: JSONLinesEncoder.LineError.self) { try encoder.encode(Array("a\tb\nno tab here\n".utf8)) }
        do {
            _ = try encoder.encode(Array("a\tb\nno tab here\n".utf8), firstLine: 10)
        } catch let error as JSONLinesEncoder.LineError {
            #expect(error.line == 11)
        }
    }
}

/// The `bert tokenize` executable itself (built next to the test bundle by `swift test`).
@Suite struct TokenizeCommandTests {
    static var binary: URL {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("bert")
    }

    struct Run { var status: Int32; var stdout: [UInt8]; var stderr: String }

    static func run(_ arguments: [String], stdin: URL) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["tokenize"] + arguments
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: [UInt8](stdout), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "bert not built at \(Self.binary.path)")
    }

    @Test func singleAndPairsMatchHF() throws {
        let vocab = Fixtures.url("vocab-uncased.txt").path
        let single = try Self.run(["--vocab", vocab], stdin: Fixtures.url("jsonlines-input.txt"))
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout == [UInt8](Fixtures.data("jsonlines-uncased.txt")))
        let pairs = try Self.run(["--vocab", vocab, "--pairs", "--max-length", "20", "--truncation", "longest_first"],
                                 stdin: Fixtures.url("jsonlines-pairs-input.txt"))
        #expect(pairs.status == 0, "\(pairs.stderr)")
        #expect(pairs.stdout == [UInt8](Fixtures.data("jsonlines-pairs-uncased-20.txt")))
    }

    @Test func casedVocabulary() throws {
        let run = try Self.run(["--vocab", Fixtures.url("vocab-cased.txt").path, "--cased"],
                               stdin: Fixtures.url("jsonlines-input.txt"))
        #expect(run.status == 0, "\(run.stderr)")
        let want = try JSONLinesEncoder(tokenizer: Fixtures.settings["cased"]!, pairs: false)
            .encode([UInt8](Fixtures.data("jsonlines-input.txt")))
        #expect(run.stdout == want)
    }

    @Test func missingOrMalformedVocabularyFailsNamingTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tok-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.txt")
        try Data("hello\n".utf8).write(to: input)

        let missing = directory.appendingPathComponent("nope.txt").path
        let r1 = try Self.run(["--vocab", missing], stdin: input)
        #expect(r1.status != 0)
        #expect(r1.stderr.contains(missing))
        #expect(r1.stdout.isEmpty)

        let noUnk = directory.appendingPathComponent("vocab.txt")
        try Data("[CLS]\n[SEP]\nhello\n".utf8).write(to: noUnk)
        let r2 = try Self.run(["--vocab", noUnk.path], stdin: input)
        #expect(r2.status != 0)
        #expect(r2.stderr.contains(noUnk.path) && r2.stderr.contains("[UNK]"))

        let badJSON = directory.appendingPathComponent("tokenizer.json")
        try Data("{\"model\": [".utf8).write(to: badJSON)
        let r3 = try Self.run(["--tokenizer", badJSON.path], stdin: input)
        #expect(r3.status != 0)
        #expect(r3.stderr.contains(badJSON.path) && r3.stderr.contains("JSON"))

        let notUTF8 = directory.appendingPathComponent("latin1.txt")
        try Data([0x5B, 0x55, 0x4E, 0x4B, 0x5D, 0x0A, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: notUTF8)
        let r4 = try Self.run(["--vocab", notUTF8.path], stdin: input)
        #expect(r4.status != 0)
        #expect(r4.stderr.contains(notUTF8.path) && r4.stderr.contains("line 2"))
    }
}
