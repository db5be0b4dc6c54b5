import Foundation
import Testing
import BertKit
import TensorCore

/// Real weights: all-MiniLM-L6-v2 (fetched by `bash Scripts/fetch_minilm.sh`, which
/// Scripts/test.sh runs before `swift test`) against Scripts/make_minilm_reference.py.
@Suite struct MiniLMTests {
    static func modelDirectory() throws -> URL {
        if let env = ProcessInfo.processInfo.environment["BERT_MINILM_DIR"] { return URL(fileURLWithPath: env) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".cache/models/all-MiniLM-L6-v2")
    }

    @Test func sentenceEmbeddingsMatchTransformers() throws {
        let url = try Self.modelDirectory()
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) else {
            let hint = "run `bash Scripts/fetch_minilm.sh` (or set BERT_MINILM_DIR)"
            Issue.record("all-MiniLM-L6-v2 not found at \(url.path): \(hint)")
            return
        }
        let model = try BertModelDirectory(url).loadBertModel()
        let data = try Data(contentsOf: fixturesURL("minilm_reference.json"))
        let ref = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let rows = ref["sentences"] as! [[String: Any]]
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
}
