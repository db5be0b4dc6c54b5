import Foundation
import Testing
import Tokenization

/// One documented behaviour for tokenizer.json's declared truncation and padding: they apply, in
/// the library (`BertTokenizer(tokenizerFile:)`, as HF `Tokenizer.from_file`) and in
/// `bert tokenize --tokenizer` alike, and the CLI's flags override them. The file here declares
/// only_second truncation to 24 (left, stride 4) and left padding to a multiple of 8.
@Suite struct TokenizerFileSettingsTests {
    struct Declared: Decodable { var a: String; var b: String?; var e: ExpectedEncoding }
    struct Line: Decodable { var ids: [Int]; var type_ids: [Int]; var offsets: [[Int]]; var attention_mask: [Int]? }

    static let file = Fixtures.url("tokenizer-cased-bert.json")
    static let cases = Fixtures.lines("declared.jsonl", as: Declared.self).filter { $0.e.error == nil }

    static func runCLI(_ arguments: [String], input: String) throws -> TokenizeCommandTests.Run {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tok-settings-\(UUID().uuidString).txt")
        try Data(input.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try TokenizeCommandTests.run(arguments, stdin: url)
    }

    static func parse(_ stdout: [UInt8]) throws -> [Line] {
        try String(decoding: stdout, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8))
        }
    }

    static func expectSame(_ got: Line, _ want: Encoding, _ label: String) {
        #expect(got.ids == want.ids, "\(label) ids")
        #expect(got.type_ids == want.typeIds, "\(label) type ids")
        #expect(got.offsets == want.offsets.map { [$0.lowerBound, $0.upperBound] }, "\(label) offsets")
        #expect(got.attention_mask == want.attentionMask, "\(label) attention mask")
    }

    /// Singles and pairs: the CLI's line for each text equals the library's `encode` (which
    /// ParityTests checks against HF) and HF's own ids, type ids and offsets from the fixture.
    @Test func cliAppliesTheFileLikeTheLibrary() throws {
        let tokenizer = try BertTokenizer(tokenizerFile: Self.file)
        #expect(tokenizer.truncation != nil && tokenizer.padding != nil)
        for pairs in [false, true] {
            let chosen = Self.cases.filter { ($0.b != nil) == pairs }
            #expect(chosen.count >= 3)
            let input = chosen.map { pairs ? "\($0.a)\t\($0.b!)" : $0.a }.joined(separator: "\n") + "\n"
            let run = try Self.runCLI(["--tokenizer", Self.file.path] + (pairs ? ["--pairs"] : []), input: input)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = try Self.parse(run.stdout)
            #expect(lines.count == chosen.count)
            for (line, c) in zip(lines, chosen) {
                let label = "\(pairs ? "pair" : "single") \(c.a.prefix(30))"
                Self.expectSame(line, try tokenizer.encode(c.a, pair: c.b), label)
                #expect(line.ids == c.e.ids && line.type_ids == c.e.type_ids, "\(label): HF")
                #expect(line.offsets.flatMap { $0 } == c.e.offsets, "\(label): HF offsets")
                let mask = line.attention_mask ?? []
                #expect(mask.count % 8 == 0 && (mask.first == 0 || !mask.contains(0)),
                        "\(label): padded on the left to a multiple of 8")
            }
        }
    }

    /// Flags override the file: --max-length/--truncation replace its truncation (padding kept),
    /// --no-truncation --no-padding give the plain encoding (no "attention_mask" key then).
    @Test func flagsOverrideTheFile() throws {
        let text = "Nothing has occurred to disturb the harmony between us and the rest of the world, "
            + "and the prospect before us is bright"
        let base = try BertTokenizer(tokenizerFile: Self.file)

        let replaced = try Self.runCLI(["--tokenizer", Self.file.path, "--max-length", "10", "--truncation", "longest_first"],
                                       input: text + "\n")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        var t = base
        t.truncation = Truncation(maxLength: 10, strategy: .longestFirst)
        Self.expectSame(try Self.parse(replaced.stdout)[0], try t.encode(text), "--max-length 10")

        let plain = try Self.runCLI(["--tokenizer", Self.file.path, "--no-truncation", "--no-padding"], input: text + "\n")
        #expect(plain.status == 0, "\(plain.stderr)")
        t = base
        t.truncation = nil
        t.padding = nil
        let want = try t.encode(text)
        let line = try Self.parse(plain.stdout)[0]
        #expect(line.ids == want.ids && line.attention_mask == nil && line.ids.count > 24)

        let both = try Self.runCLI(["--tokenizer", Self.file.path, "--no-truncation", "--max-length", "8"], input: "a\n")
        #expect(both.status != 0 && both.stderr.contains("--no-truncation"))
    }

    /// Where the file's truncation cannot be satisfied (only_second on a single long text), the
    /// library throws and the CLI fails naming the line — the same behaviour, as HF.
    @Test func theFilesTruncationFailsTheSameWayInBoth() throws {
        let long = String(repeating: "word ", count: 40)
        #expect(throws: TokenizationError.self) { _ = try BertTokenizer(tokenizerFile: Self.file).encode(long) }
        let run = try Self.runCLI(["--tokenizer", Self.file.path], input: "short\n" + long + "\n")
        #expect(run.status != 0)
        #expect(run.stderr.contains("line 2"), "\(run.stderr)")
    }
}
