import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Real weights: all-MiniLM-L6-v2 (fetched by `bash Scripts/fetch_minilm.sh`, which
/// Scripts/test.sh runs before `swift test`) against Scripts/make_minilm_reference.py.
@Suite struct MiniLMTests {
    static func modelDirectory() throws -> URL {
        if let env = ProcessInfo.processInfo.environment["BERT_MINILM_DIR"] { return URL(fileURLWithPath: env) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".cache/models/all-MiniLM-L6-v2")
    }

    /// The model directory, or nil after recording a failure that says how to get it.
    static func presentDirectory() throws -> URL? {
        let url = try modelDirectory()
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) else {
            let hint = "run `bash Scripts/fetch_minilm.sh` (or set BERT_MINILM_DIR)"
            Issue.record("all-MiniLM-L6-v2 not found at \(url.path): \(hint)")
            return nil
        }
        return url
    }

    static func reference() throws -> [[String: Any]] {
        let data = try Data(contentsOf: fixturesURL("minilm_reference.json"))
        let ref = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return ref["sentences"] as! [[String: Any]]
    }

    @Test func sentenceEmbeddingsMatchTransformers() throws {
        guard let url = try Self.presentDirectory() else { return }
        let model = try BertModelDirectory(url).loadBertModel()
        let rows = try Self.reference()
        let ids = rows.map { $0["ids"] as! [Int] }
        for pooling in Pooling.allCases {
            let got = try model.sentenceEmbeddings(ids, pooling: pooling, batchSize: 3)
            for (i, row) in rows.enumerated() {
                let want = (row[pooling.rawValue] as! [Double]).map { Float($0) }
                expectClose(Tensor(got[i], shape: [want.count]), Tensor(want, shape: [want.count]), atol: 5e-5,
                            rtol: 1e-4, "\(pooling) embedding of \"\(row["text"] as! String)\"")
            }
        }
    }

    /// Text in, vector out (what `bert encode` does): the directory's tokenizer gives the
    /// reference ids, and the embeddings match for both poolings, normalised or not.
    @Test func textsEncodeLikeTransformers() throws {
        guard let url = try Self.presentDirectory() else { return }
        let dir = try BertModelDirectory(url)
        let model = try dir.loadBertModel()
        let tokenizer = try dir.loadTokenizer()
        let rows = try Self.reference()
        let texts = rows.map { $0["text"] as! String }
        for (text, row) in zip(texts, rows) {
            var t = tokenizer
            t.truncation = Truncation(maxLength: 128)
            t.padding = nil  // tokenizer.json pads; the reference ids are unpadded
            #expect(try t.encode(text).ids == row["ids"] as! [Int], "ids of \"\(text)\"")
        }
        for pooling in Pooling.allCases {
            for normalize in [false, true] {
                let got = try model.sentenceEmbeddings(texts, tokenizer: tokenizer, maxLength: 128, pooling: pooling,
                                                       normalize: normalize)
                for (i, row) in rows.enumerated() {
                    var want = (row[pooling.rawValue] as! [Double]).map { Float($0) }
                    if normalize {
                        let norm = want.reduce(0) { $0 + $1 * $1 }.squareRoot()
                        want = want.map { $0 / norm }
                    }
                    expectClose(Tensor(got[i], shape: [want.count]), Tensor(want, shape: [want.count]), atol: 5e-5,
                                rtol: 1e-4, "\(pooling) normalize \(normalize) of \"\(texts[i])\"")
                }
            }
        }
    }
}
