import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The README's examples, run as written (so the README stays true).
@Suite struct ReadmeExampleTests {
    @Test func tensorCoreTrainingLoop() {
        var rng = RandomGenerator(seed: 42)
        let fc1 = Linear(inFeatures: 2, outFeatures: 32, generator: &rng)
        let fc2 = Linear(inFeatures: 32, outFeatures: 3, generator: &rng)
        let optimizer = AdamW(parameters: fc1.parameters() + fc2.parameters(), learningRate: 1e-2)
        let x = Tensor([0.1, 0.2, -0.3, 0.4], shape: [2, 2])
        let y = IntTensor([0, 2], shape: [2])
        for _ in 0..<100 {
            optimizer.zeroGrad()
            let loss = crossEntropy(logits: fc2(fc1(x).relu()), targets: y)
            loss.backward()
            optimizer.step()
        }
        let logits = withNoGrad { fc2(fc1(x).relu()) }
        #expect(logits.argmax(axis: 1).values == [0, 2])
        #expect(!logits.requiresGrad)
    }

    @Test func bertKitSentenceEmbeddings() throws {
        let directory = try BertModelDirectory(ReadmeExampleTests.miniLMDirectory())
        let model = try directory.loadBertModel()
        let tokenizer = try directory.loadTokenizer()
        let ids = try tokenizer.encodeBatch(["A man is eating food.", "A man is eating bread."]).map(\.ids)
        let vectors = try model.sentenceEmbeddings(ids, pooling: .mean, normalize: true)
        #expect(vectors.count == 2 && vectors.allSatisfy { $0.count == 384 })
        let cosine = zip(vectors[0], vectors[1]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(cosine > 0.5 && cosine < 1, "cosine \(cosine)")
    }

    @Test func tokenizationExample() throws {
        let vocab = ReadmeExampleTests.miniLMDirectory().appendingPathComponent("vocab.txt")
        var tokenizer = try BertTokenizer(vocabularyFile: vocab)
        let e = try tokenizer.encode("Who was Jim Henson?", pair: "Jim Henson was a puppeteer")
        #expect(tokenizer.tokens(e.ids).first == "[CLS]" && e.typeIds.last == 1)
        #expect(e.offsets.count == e.ids.count && e.wordIds.count == e.ids.count)
        tokenizer.truncation = Truncation(maxLength: 16, strategy: .onlySecond, stride: 4)
        tokenizer.padding = Padding(strategy: .longest)
        let batch = try tokenizer.encodeBatch(["first text", "second one"])
        #expect(batch.count == 2 && batch[0].ids.count == batch[1].ids.count)
    }

    /// BERT_MINILM_DIR, else `.cache/models/all-MiniLM-L6-v2` at the package root
    /// (Scripts/test.sh fetches it).
    static func miniLMDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["BERT_MINILM_DIR"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".cache/models/all-MiniLM-L6-v2")
    }
}
