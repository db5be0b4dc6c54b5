import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The `bert encode` executable itself (built next to the test bundle by `swift test`) on
/// all-MiniLM-L6-v2: one JSON vector per input line in order (an empty line included), equal
/// to the library's sentence embeddings for the same pooling, normalisation and truncation;
/// a bad model directory exits non-zero naming the file.
@Suite struct EncodeCommandTests {
    static var binary: URL { BertBinary.url }

    static func run(_ arguments: [String], input: String) throws -> BertBinary.Run {
        try BertBinary.run(["encode"] + arguments, input: input)
    }

    static func vectors(_ stdout: String) -> [[Float]] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Double])?.map { Float($0) } ?? []
        }
    }

    static let lines = ["A man is eating food.", "", "The bank approved my mortgage application, and the river bank flooded."]

    @Test(arguments: [(Pooling.cls, false, nil as Int?), (.mean, true, nil), (.mean, false, 8), (.cls, true, 6)])
    func vectorsEqualTheLibrary(pooling: Pooling, normalize: Bool, maxLength: Int?) throws {
        guard let url = try MiniLMTests.presentDirectory() else { return }
        var arguments = ["--model", url.path, "--pooling", pooling.rawValue]
        if normalize { arguments.append("--normalize") }
        if let maxLength { arguments += ["--max-length", "\(maxLength)"] }
        let result = try Self.run(arguments, input: Self.lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let got = Self.vectors(result.stdout)
        #expect(got.count == Self.lines.count, "one vector per line, the empty one included")
        let dir = try BertModelDirectory(url)
        let want = try dir.loadBertModel().sentenceEmbeddings(Self.lines, tokenizer: try dir.loadTokenizer(),
                                                               maxLength: maxLength, pooling: pooling,
                                                               normalize: normalize)
        for (i, (g, w)) in zip(got, want).enumerated() {
            #expect(g.count == 384)
            expectClose(Tensor(g, shape: [g.count]), Tensor(w, shape: [w.count]), atol: 1e-6, rtol: 1e-6,
                        "line \(i) \(pooling) normalize \(normalize) max \(maxLength.map(String.init) ?? "-")")
            if normalize { #expect(abs(g.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) < 1e-5) }
        }
        if maxLength == 8 { #expect(got[2] != got[0]) }
    }

    @Test func truncationChangesLongLinesOnly() throws {
        guard let url = try MiniLMTests.presentDirectory() else { return }
        let full = Self.vectors(try Self.run(["--model", url.path], input: Self.lines.joined(separator: "\n")).stdout)
        let short = Self.vectors(try Self.run(["--model", url.path, "--max-length", "8"],
                                              input: Self.lines.joined(separator: "\n")).stdout)
        #expect(full.count == 3 && short.count == 3)
        #expect(short[2] != full[2], "the long line is cut to 8 tokens")
        // [CLS] [SEP] fits either way (the batch is padded to another length: rounding only).
        expectClose(Tensor(short[1], shape: [short[1].count]), Tensor(full[1], shape: [full[1].count]),
                    atol: 1e-5, rtol: 1e-5, "empty line with and without --max-length")
    }

    @Test func badModelDirectoryExitsNamingTheFile() throws {
        let missing = try Self.run(["--model", "/nonexistent/model-dir"], input: "x\n")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/model-dir"), "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bad-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{".utf8).write(to: dir.appendingPathComponent("config.json"))
        let malformed = try Self.run(["--model", dir.path], input: "x\n")
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("config.json"), "\(malformed.stderr)")
        #expect(malformed.stdout.isEmpty)
    }

    /// DistilBERT: `DistilBertModel.sentenceEmbeddings` and `bert encode` on a DistilBERT
    /// directory equal transformers' DistilBertModel pooled the same way
    /// (Fixtures/distilbert_mlm/embeddings.json, Scripts/make_distilbert_embedding_fixtures.py;
    /// an empty text and one truncated to max_length among them).
    @Test func distilBertVectorsEqualTransformers() throws {
        let dir = fixturesURL("distilbert_mlm")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("embeddings.json"))) as! [String: Any]
        let texts = json["texts"] as! [String], maxLength = json["max_length"] as! Int
        let directory = try DistilBertModelDirectory(dir)
        let encoder = try directory.loadDistilBertModel()
        for pooling in Pooling.allCases {
            let want = (json[pooling.rawValue] as! [[Double]]).map { $0.map(Float.init) }
            let got = try encoder.sentenceEmbeddings(texts, tokenizer: try directory.loadTokenizer(), maxLength: maxLength,
                                                     pooling: pooling, batchSize: 2)
            let worst = zip(got, want).flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
            #expect(got.count == texts.count && worst <= 1e-5, "\(pooling): largest difference \(worst)")
            let r = try Self.run(["--model", dir.path, "--pooling", pooling.rawValue, "--max-length", "\(maxLength)", "--batch-size", "2"],
                                 input: texts.joined(separator: "\n") + "\n")
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.vectors(r.stdout) == got, "bert encode prints the library's vectors")
        }
        // A DistilBERT checkpoint without its encoder weights is refused, naming the file.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("distil-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: dir.appendingPathComponent("config.json"), to: scratch.appendingPathComponent("config.json"))
        try writeSafetensors(["classifier.bias": Tensor.zeros([3])], to: scratch.appendingPathComponent("model.safetensors"))
        #expect(throws: BertError.self) { try DistilBertModelDirectory(scratch).loadDistilBertModel() }
    }
}
