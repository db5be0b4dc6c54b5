import Foundation
import Testing
import BertKit
import TensorCore

/// ``BertModel/skipsPaddingPositions``: on a padded batch the real tokens' outputs, the pooled
/// output, the loss of a classifier and every parameter's gradient equal those of the padded
/// computation (to float rounding); padding positions come back as zeros; a batch without
/// padding takes the ordinary path.
@Suite struct TokenPackingTests {
    static func model(seed: UInt64) -> BertForSequenceClassification {
        var rng = RandomGenerator(seed: seed)
        let config = BertConfig(vocabSize: 50, hiddenSize: 24, numHiddenLayers: 2, numAttentionHeads: 3,
                                intermediateSize: 40, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0,
                                maxPositionEmbeddings: 16, numLabels: 3)
        return BertForSequenceClassification(config: config, generator: &rng)
    }

    static func input(_ config: BertConfig) throws -> BertInput {
        let ids = [2, 7, 9, 11, 13, 3, 0, 0, 0, 0,
                   2, 5, 3, 0, 0, 0, 0, 0, 0, 0,
                   2, 8, 8, 8, 8, 8, 8, 8, 8, 3]
        let mask = ids.enumerated().map { k, id in k % 10 == 0 || id != 0 ? 1 : 0 }
        let types = ids.indices.map { $0 % 10 >= 3 && ids[$0] != 0 ? 1 : 0 }
        return try BertInput(inputIds: IntTensor(ids, shape: [3, 10]), attentionMask: IntTensor(mask, shape: [3, 10]),
                             tokenTypeIds: IntTensor(types, shape: [3, 10]), config: config)
    }

    @Test func packedEqualsPaddedForOutputsLossAndGradients() throws {
        let padded = Self.model(seed: 4), packed = Self.model(seed: 4)
        packed.bert.skipsPaddingPositions = true
        let input = try Self.input(padded.config)
        let labels = SequenceLabels.classes(IntTensor([2, 0, 1], shape: [3]))
        var results: [(hidden: [Float], logits: [Float], loss: Float, grads: [String: [Float]])] = []
        for model in [padded, packed] {
            model.train()
            let out = model.bert(input, outputHiddenStates: true)
            let head = try model(input, labels: labels)
            head.loss!.backward()
            results.append((out.lastHiddenState.toArray(), head.logits.toArray(), head.loss!.item,
                            Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.0, $0.1.grad?.toArray() ?? []) })))
            #expect(out.hiddenStates?.count == 3)
        }
        let mask = input.attentionMask.values
        let h = 24
        for (k, real) in mask.enumerated() {
            let a = results[0].hidden[(k * h)..<((k + 1) * h)], b = results[1].hidden[(k * h)..<((k + 1) * h)]
            if real == 1 {
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 }, "position \(k): real token differs")
            } else {
                #expect(b.allSatisfy { $0 == 0 }, "position \(k): padding must be zero when skipped")
            }
        }
        #expect(zip(results[0].logits, results[1].logits).allSatisfy { abs($0 - $1) <= 1e-5 })
        #expect(abs(results[0].loss - results[1].loss) <= 1e-6)
        #expect(results[0].grads.keys.sorted() == results[1].grads.keys.sorted())
        for (name, a) in results[0].grads {
            let b = results[1].grads[name]!
            #expect(a.count == b.count && !a.isEmpty, "\(name): no gradient")
            let scale = max(1e-3, a.map { abs($0) }.max() ?? 0)
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-4 * scale, "\(name): gradients differ by \(worst) (scale \(scale))")
        }
    }

    @Test func noPaddingNoPacking() throws {
        let mask = IntTensor([1, 1, 1, 1, 1, 1], shape: [2, 3])
        #expect(TokenPacking(attentionMask: mask) == nil)
        let packing = try #require(TokenPacking(attentionMask: IntTensor([1, 1, 0, 1, 0, 0], shape: [2, 3])))
        #expect(packing.rows.values == [0, 1, 3] && packing.count == 3)
        let x = Tensor((0..<12).map(Float.init), shape: [2, 3, 2])
        #expect(packing.pack(x).toArray() == [0, 1, 2, 3, 6, 7])
        #expect(packing.unpack(packing.pack(x)).toArray() == [0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 0])
    }

    /// The same for DistilBERT (the tiny parity config, dropout 0).
    @Test func distilBertPackedEqualsPadded() throws {
        let config = try DistilBertConfig(contentsOf: fixturesURL("distilbert/tiny/config.json"))
        var results: [(logits: [Float], grads: [String: [Float]])] = []
        let ids = IntTensor([2, 7, 9, 3, 0, 0, 2, 5, 6, 7, 8, 3], shape: [2, 6])
        let mask = IntTensor([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1], shape: [2, 6])
        for skip in [false, true] {
            var rng = RandomGenerator(seed: 9)
            let model = DistilBertForSequenceClassification(config: config, generator: &rng)
            model.distilbert.skipsPaddingPositions = skip
            model.train()
            let input = try DistilBertInput(inputIds: ids, attentionMask: mask, config: config)
            let out = try model(input, labels: .classes(IntTensor([1, 2], shape: [2])))
            out.loss!.backward()
            results.append((out.logits.toArray(),
                            Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.0, $0.1.grad?.toArray() ?? []) })))
        }
        #expect(zip(results[0].logits, results[1].logits).allSatisfy { abs($0 - $1) <= 1e-5 })
        for (name, a) in results[0].grads {
            let b = results[1].grads[name]!
            let scale = max(1e-3, a.map { abs($0) }.max() ?? 0)
            #expect(!a.isEmpty && (zip(a, b).map { abs($0 - $1) }.max() ?? 0) <= 1e-4 * scale, "\(name)")
        }
    }
}
