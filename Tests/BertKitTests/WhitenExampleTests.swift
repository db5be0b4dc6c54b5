import Foundation
import Testing
import BertKit
import TensorCore

/// The BERT-whitening worked example (Docs/LINALG.md) on all-MiniLM-L6-v2: whitening the
/// sentence embeddings gives identity covariance, and the `bert whiten-example` executable runs
/// and reports one raw and one whitened row per requested k. Skipped when the model has not
/// been fetched (`bash Scripts/fetch_minilm.sh`).
func miniLMPresent() -> Bool {
    guard let url = try? MiniLMTests.modelDirectory() else { return false }
    return FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors").path)
}

@Suite(.enabled(if: miniLMPresent(), "all-MiniLM-L6-v2 not fetched"))
struct WhitenExampleTests {
    static let sentences = [
        "A man is playing a guitar.", "A man plays the guitar.", "The cat sleeps on the sofa.",
        "A cat is asleep on the couch.", "The stock market fell sharply today.", "Share prices dropped steeply.",
        "A boy is swimming in the lake.", "A girl is climbing a tree.", "It is raining heavily outside.",
        "The weather is sunny and warm.", "A plane is taking off.", "The baby is crying.",
    ]

    @Test func whitenedMiniLMEmbeddingsHaveIdentityCovariance() throws {
        let directory = try BertModelDirectory(try MiniLMTests.modelDirectory())
        let model = try directory.loadBertModel()
        let tokenizer = try directory.loadTokenizer()
        let encodings = try tokenizer.encodeBatch(Self.sentences)  // padded by tokenizer.json; masks say where
        let vectors = try model.sentenceEmbeddings(encodings, pooling: .mean)
        let x = Tensor(vectors.flatMap { $0 }, shape: [vectors.count, 384])          // [N, 384]
        let k = 8
        let whitening = try Whitening(fitting: x, components: k)
        let y = whitening(x)                                                          // [N, k]
        let centered = y - y.mean(axis: 0)
        let covariance = centered.transposed().matmul(centered) / Float(y.shape[0])   // [k, k]
        var identity = [Double](repeating: 0, count: k * k)
        for i in 0..<k { identity[i * k + i] = 1 }
        expectClose(covariance, Tensor(identity.map(Float.init), shape: [k, k]), atol: 1e-3, rtol: 1e-3,
                    "covariance of whitened MiniLM embeddings")
    }

    @Test func commandReportsRawAndWhitenedRows() throws {
        let run = try BertBinary.run(["whiten-example", "--model", try MiniLMTests.modelDirectory().path,
                                      "--components", "4", "--components", "16"])
        #expect(run.status == 0)
        let stdout = run.stdout
        let rows = stdout.split(separator: "\n").filter { $0.hasPrefix("raw") || $0.hasPrefix("whitened") }
        #expect(rows.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == ["raw 384", "whitened 4", "whitened 16"])
        for row in rows {
            let numbers = row.split(separator: " ").suffix(2).compactMap { Double($0) }
            #expect(numbers.count == 2 && numbers.allSatisfy { $0.isFinite && abs($0) <= 1 }, "\(row)")
        }
    }
}
