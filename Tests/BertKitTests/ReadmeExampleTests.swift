import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The README's examples as written, checked against Fixtures/readme_reference.json
/// (Scripts/make_readme_reference.py: Hugging Face tokenizers/transformers). The same blocks,
/// verbatim, are built and run in debug by the downstream package Tests/Downstream (Scripts/test.sh).
@Suite struct ReadmeExampleTests {
    struct Reference: Decodable {
        struct Tolerance: Decodable { var atol: Float; var rtol: Float }
        struct TensorCoreRef: Decodable { var argmax: [Int] }
        struct Pair: Decodable { var ids: [Int]; var type_ids: [Int]; var offsets: [[Int]]; var word_ids: [Int?] }
        struct Batch: Decodable { var ids: [[Int]]; var attention_mask: [[Int]] }
        struct TokenizationRef: Decodable { var pair: Pair; var batch: Batch }
        struct BertKitRef: Decodable {
            var ids: [[Int]]; var attention_mask: [[Int]]; var vectors: [[Float]]; var cosine: Float
            var hidden_shape: [Int]; var cls_hidden_first8: [[Float]]
        }
        var tolerance: Tolerance
        var tensorcore: TensorCoreRef
        var tokenization: TokenizationRef
        var bertkit: BertKitRef
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixturesURL("readme_reference.json")))
    }

    @Test func tensorCoreTrainingLoop() throws {
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
        #expect(logits.argmax(axis: 1).values == (try Self.reference()).tensorcore.argmax)
        #expect(!logits.requiresGrad)
    }

    @Test func tokenizationExample() throws {
        let ref = try Self.reference().tokenization
        let vocab = ReadmeExampleTests.miniLMDirectory().appendingPathComponent("vocab.txt")
        var tokenizer = try BertTokenizer(vocabularyFile: vocab)
        let e = try tokenizer.encode("Who was Jim Henson?", pair: "Jim Henson was a puppeteer")
        #expect(e.ids == ref.pair.ids)
        #expect(e.typeIds == ref.pair.type_ids)
        #expect(e.offsets.map { [$0.lowerBound, $0.upperBound] } == ref.pair.offsets)
        #expect(e.wordIds == ref.pair.word_ids)
        tokenizer.truncation = Truncation(maxLength: 16, strategy: .onlySecond, stride: 4)
        tokenizer.padding = Padding(strategy: .longest)
        let batch = try tokenizer.encodeBatch(["first text", "a second, longer text"])
        #expect(batch.map(\.ids) == ref.batch.ids)
        #expect(batch.map(\.attentionMask) == ref.batch.attention_mask)
    }

    /// The BertKit block: tokenizer.json pads to 128, the encodings carry the mask, and the
    /// vectors, their cosine and the hidden states equal transformers' (mean pooling over the mask).
    @Test func bertKitSentenceEmbeddings() throws {
        let ref = try Self.reference()
        let (atol, rtol) = (ref.tolerance.atol, ref.tolerance.rtol)
        let directory = try BertModelDirectory(ReadmeExampleTests.miniLMDirectory())
        let model = try directory.loadBertModel()
        let tokenizer = try directory.loadTokenizer()
        let encodings = try tokenizer.encodeBatch(["A man is eating food.", "A man is eating bread."])
        #expect(encodings.map(\.ids) == ref.bertkit.ids)
        #expect(encodings.map(\.attentionMask) == ref.bertkit.attention_mask)
        let vectors = try model.sentenceEmbeddings(encodings, pooling: .mean, normalize: true)
        let cosine = zip(vectors[0], vectors[1]).reduce(0) { $0 + $1.0 * $1.1 }
        for (i, want) in ref.bertkit.vectors.enumerated() {
            expectClose(Tensor(vectors[i], shape: [vectors[i].count]), Tensor(want, shape: [want.count]),
                        atol: atol, rtol: rtol, "README vector \(i)")
        }
        #expect(abs(cosine - ref.bertkit.cosine) <= atol, "cosine \(cosine) vs transformers \(ref.bertkit.cosine)")
        let input = try BertInput(encodings: encodings, config: model.config)
        let output = withNoGrad { model(input) }
        #expect(output.lastHiddenState.shape == ref.bertkit.hidden_shape)
        let h = output.lastHiddenState.contiguous().toArray()
        let width = output.lastHiddenState.shape[2], length = output.lastHiddenState.shape[1]
        for (i, want) in ref.bertkit.cls_hidden_first8.enumerated() {
            let got = Array(h[(i * length * width)..<(i * length * width + 8)])
            expectClose(Tensor(got, shape: [8]), Tensor(want, shape: [8]), atol: atol, rtol: rtol, "[CLS] hidden \(i)")
        }
    }

    /// BERT_MINILM_DIR, else `.cache/models/all-MiniLM-L6-v2` at the package root
    /// (Scripts/test.sh fetches it).
    static func miniLMDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["BERT_MINILM_DIR"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".cache/models/all-MiniLM-L6-v2")
    }
}
