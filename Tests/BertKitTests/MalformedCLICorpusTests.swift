import Foundation
import Testing

/// The malformed-input corpus for the `bert` command line (issue 15): flags that would ask
/// for more memory than exists or overflow, bad flag values, and input text that fails part
/// way. Each run must exit with status 1 or 64 (not a signal), name the flag or file and line,
/// and leave no output file behind.
@Suite struct MalformedCLICorpusTests {
    static let vocab = fixturesURL("tiny_gelu/vocab.txt").path
    static let model = fixturesURL("tiny_gelu").path

    /// (case, arguments, fragments stderr must contain).
    static let flagCases: [(String, [String], [String])] = [
        ("bench --vocab 10^15", ["bench", "train", "--vocab", "1000000000000000"], ["--vocab"]),
        ("bench --seq 10^9", ["bench", "infer", "--seq", "1000000000"], ["--seq"]),
        ("bench --batch 10^12 --seq 10^7", ["bench", "train", "--batch", "1000000000000", "--seq", "10000000"], ["--batch"]),
        ("bench --hidden 2^40", ["bench", "train", "--hidden", "1099511627776", "--heads", "1"], ["--hidden"]),
        ("bench --layers 10^9", ["bench", "train", "--layers", "1000000000"], ["--layers"]),
        ("bench --intermediate 10^12", ["bench", "train", "--intermediate", "1000000000000"], ["--intermediate"]),
        ("bench --heads 0", ["bench", "train", "--heads", "0"], ["--heads"]),
        ("bench --steps -1", ["bench", "train", "--steps", "-1"], ["--steps"]),
        ("bench activations beyond memory", ["bench", "train", "--batch", "4096", "--seq", "8192"], ["activations"]),
        ("bench attention beyond memory", ["bench", "infer", "--batch", "1", "--seq", "65536", "--layers", "1",
                                           "--hidden", "64", "--heads", "64"], ["attention"]),
        ("bench weights beyond memory", ["bench", "infer", "--layers", "1000", "--hidden", "65536", "--heads", "1",
                                         "--vocab", "100"], ["for its weights"]),
        ("bench --batch Int.max", ["bench", "train", "--batch", "9223372036854775807"], ["--batch"]),
        ("bench --seq 2^64", ["bench", "train", "--seq", "18446744073709551616"], ["--seq"]),
        ("bench mode unknown", ["bench", "fly"], ["train or infer"]),
        ("mlp-example --points 10^15", ["mlp-example", "--points", "1000000000000000"], ["--points"]),
        ("mlp-example --hidden 2^40", ["mlp-example", "--hidden", "1099511627776"], ["--hidden"]),
        ("mlp-example --hidden 60000 --points 10^7", ["mlp-example", "--hidden", "60000", "--points", "10000000"],
         ["--hidden"]),
        ("mlp-example --steps 0", ["mlp-example", "--steps", "0"], ["--steps"]),
        ("encode --batch-size 10^12", ["encode", "--model", model, "--batch-size", "1000000000000"], ["--batch-size"]),
        ("encode --batch-size 0", ["encode", "--model", model, "--batch-size", "0"], ["--batch-size"]),
        ("encode --max-length 1", ["encode", "--model", model, "--max-length", "1"], ["--max-length"]),
        ("encode --pooling max", ["encode", "--model", model, "--pooling", "max"], ["--pooling"]),
        ("encode missing model", ["encode", "--model", "/nonexistent/dir"], ["/nonexistent/dir"]),
        ("tokenize without a vocabulary", ["tokenize"], ["--vocab"]),
        ("tokenize with both", ["tokenize", "--vocab", vocab, "--tokenizer", vocab], ["exactly one"]),
        ("tokenize --truncation unknown", ["tokenize", "--vocab", vocab, "--max-length", "8", "--truncation", "middle"],
         ["--truncation"]),
        ("tokenize --max-length -1", ["tokenize", "--vocab", vocab, "--max-length", "-1"], ["--max-length"]),
        ("tokenize missing vocab", ["tokenize", "--vocab", "/nonexistent/vocab.txt"], ["/nonexistent/vocab.txt"]),
        ("tokenize vocab is a directory", ["tokenize", "--vocab", fixturesURL("tiny_gelu").path], ["not a regular file"]),
    ]

    @Test(arguments: flagCases)
    func badFlagsAreRefusedBeforeAnythingRuns(name: String, arguments: [String], fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let run = try BertBinary.run(arguments, input: "hello\n", in: scratch.url)
        #expect(run.reason == .exit && (run.status == 1 || run.status == 64), "\(name): status \(run.status) \(run.stderr)")
        for fragment in fragments {
            #expect(run.stderr.contains(fragment), "\(name): '\(fragment)' missing from: \(run.stderr)")
        }
        #expect(scratch.listing().isEmpty, "\(name): files left behind")
    }

    /// Lines that fail part way: stdout keeps the lines before (documented), --output leaves no
    /// file at all, and the error names the line.
    static let textCases: [(String, [String], String, [String])] = [
        ("max-length below the specials", ["--max-length", "1"], "hello\nworld\n", ["line 1"]),
        ("only_second on a single text", ["--max-length", "5", "--truncation", "only_second"],
         "hello\nhello hello hello hello hello\n", ["line 2"]),
        ("only_first too short on line 3", ["--pairs", "--max-length", "5", "--truncation", "only_first"],
         "a\tb\nc\td\nx\thello hello hello hello\n", ["line 3"]),
    ]

    @Test(arguments: textCases)
    func failingLinesLeaveNoOutputFile(name: String, flags: [String], input: String, fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.path("out.jsonl")
        let run = try BertBinary.run(["tokenize", "--vocab", Self.vocab, "--output", output.path] + flags,
                                     input: input, in: scratch.url)
        #expect(run.reason == .exit && run.status == 1, "\(name): status \(run.status) \(run.stderr)")
        for fragment in fragments {
            #expect(run.stderr.contains(fragment), "\(name): '\(fragment)' missing from: \(run.stderr)")
        }
        #expect(run.stdout.isEmpty)
        #expect(scratch.listing().isEmpty, "\(name): \(scratch.listing()) left behind")
    }

    @Test func outputFileIsWrittenWhenEveryLineSucceeds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.path("out.jsonl")
        let toFile = try BertBinary.run(["tokenize", "--vocab", Self.vocab, "--output", output.path], input: "a b\nc\n")
        let toStdout = try BertBinary.run(["tokenize", "--vocab", Self.vocab], input: "a b\nc\n")
        #expect(toFile.status == 0 && toStdout.status == 0, "\(toFile.stderr) \(toStdout.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == toStdout.stdout)
        #expect(toStdout.stdout.split(separator: "\n").count == 2)
        #expect(scratch.listing() == ["out.jsonl"])
    }
}
