import Foundation
import Testing
import BertKit
import TensorCore

@Suite struct BertModelTests {
    static let tiny = BertConfig(vocabSize: 99, hiddenSize: 20, numHiddenLayers: 2, numAttentionHeads: 4,
                                 intermediateSize: 37, maxPositionEmbeddings: 40, typeVocabSize: 3)

    /// Figures from transformers (BERT-REFERENCE §1): BertModel base / large, base split.
    @Test func parameterCountsEqualTransformers() {
        // Zero-filled construction: counts come from the real module shapes, without 110M draws.
        var rng = RandomGenerator(seed: 0)
        let base = BertModel(config: .base, initialization: .zeros, generator: &rng)
        #expect(base.parameterCount == 109_482_240)
        #expect(base.embeddings.parameterCount == 23_837_184)
        #expect(base.encoder.parameterCount == 85_054_464)
        #expect(base.pooler!.parameterCount == 590_592)
    }

    @Test func largeAndPreTrainingCounts() {
        var rng = RandomGenerator(seed: 0)
        // Large: built with 2 of its 24 (identical) layers to stay fast; parts summed exactly.
        var two = BertConfig.large
        two.numHiddenLayers = 2
        let large = BertModel(config: two, initialization: .zeros, generator: &rng)
        let count = large.embeddings.parameterCount + 24 * large.encoder.layer[0].parameterCount
            + large.pooler!.parameterCount
        #expect(large.encoder.layer[0].parameterCount == large.encoder.layer[1].parameterCount)
        #expect(count == 335_141_888)
        #expect(BertForPreTraining(config: .base, initialization: .zeros, generator: &rng).parameterCount == 110_106_428)
    }

    @Test func initializationFollowsTransformers() {
        var rng = RandomGenerator(seed: 42)
        let model = BertForPreTraining(config: Self.tiny, generator: &rng)
        let p = Dictionary(model.namedParameters().map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        let word = p["bert.embeddings.word_embeddings.weight"]!.value.toArray()
        #expect(word[0..<20].allSatisfy { $0 == 0 }, "padding row zeroed")
        #expect(p["bert.embeddings.LayerNorm.weight"]!.value.toArray().allSatisfy { $0 == 1 })
        #expect(p["bert.encoder.layer.1.output.dense.bias"]!.value.toArray().allSatisfy { $0 == 0 })
        #expect(p["cls.predictions.bias"]!.value.toArray().allSatisfy { $0 == 0 })
        let wide = BertConfig(vocabSize: 99, hiddenSize: 256, numHiddenLayers: 1, numAttentionHeads: 4,
                              intermediateSize: 1024)
        let big = BertModel(config: wide, generator: &rng)
        let w = big.encoder.layer[0].intermediate.dense.weight.value.toArray()
        let mean = w.reduce(0, +) / Float(w.count)
        let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.count)).squareRoot()
        #expect(abs(mean) < 1e-3 && abs(std - 0.02) < 5e-4, "mean \(mean) std \(std)")
        var again = RandomGenerator(seed: 42)
        let same = BertForPreTraining(config: Self.tiny, generator: &again)
        #expect(same.bert.encoder.layer[1].attention.selfAttention.key.weight.value.toArray()
            == model.bert.encoder.layer[1].attention.selfAttention.key.weight.value.toArray(), "seeded")
    }

    @Test func decoderIsTiedToWordEmbeddings() {
        var rng = RandomGenerator(seed: 1)
        let model = BertForPreTraining(config: Self.tiny, generator: &rng)
        #expect(model.predictions.decoderWeight === model.bert.embeddings.wordEmbeddings.weight)
        let names = model.namedParameters().map(\.0)
        #expect(!names.contains("cls.predictions.decoder.weight"))
        #expect(names.contains("cls.predictions.bias"))
    }

    @Test func everyParameterOfPreTrainingReceivesAGradient() throws {
        var rng = RandomGenerator(seed: 3)
        let model = BertForPreTraining(config: Self.tiny, generator: &rng)
        let ids = IntTensor([2, 7, 4, 9, 11, 3, 0, 0, 2, 5, 6, 8, 3, 12, 13, 3], shape: [2, 8])
        let mask = IntTensor(ids.values.map { $0 == 0 ? 0 : 1 }, shape: [2, 8])
        let types = IntTensor([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2], shape: [2, 8])
        var labels = [Int](repeating: -100, count: 16)
        labels[2] = 40; labels[10] = 17; labels[13] = 0
        let input = try BertInput(inputIds: ids, attentionMask: mask, tokenTypeIds: types, config: Self.tiny)
        let out = try model(input, labels: IntTensor(labels, shape: [2, 8]),
                            nextSentenceLabel: IntTensor([0, 1], shape: [2]))
        #expect(out.predictionLogits.shape == [3, 99])
        out.loss!.backward()
        for (name, p) in model.namedParameters() {
            let g = p.grad?.toArray() ?? []
            #expect(!g.isEmpty && g.contains { $0 != 0 } && g.allSatisfy(\.isFinite), "no gradient for \(name)")
        }
    }

    @Test func noMaskedTokenGivesZeroMLMLossNotNaN() throws {
        var rng = RandomGenerator(seed: 4)
        let model = BertForPreTraining(config: Self.tiny, generator: &rng)
        let input = try BertInput(inputIds: IntTensor([2, 5, 6, 3], shape: [1, 4]), config: Self.tiny)
        let out = try model(input, labels: IntTensor([-100, -100, -100, -100], shape: [1, 4]),
                            nextSentenceLabel: IntTensor([1], shape: [1]))
        #expect(out.mlmLoss!.item == 0)
        #expect(out.loss!.item.isFinite)
    }

    @Test func fullyPaddedRowStaysFinite() throws {
        var rng = RandomGenerator(seed: 5)
        let model = BertModel(config: Self.tiny, generator: &rng)
        model.eval()
        let out = try model(inputIds: IntTensor([2, 5, 3, 0, 0, 0], shape: [2, 3]),
                            attentionMask: IntTensor([1, 1, 1, 0, 0, 0], shape: [2, 3]))
        #expect(out.lastHiddenState.toArray().allSatisfy { $0.isFinite })
        #expect(out.poolerOutput!.toArray().allSatisfy { $0.isFinite })
    }

    /// The query/key/value parameters are packed into one buffer for the fused projection at
    /// construction and after a checkpoint load; assigning a new value to one of them is seen by
    /// the next forward, which never changes the parameters themselves (no hidden re-pack), and
    /// the result equals a model built with that value.
    @Test func packedProjectionFollowsAssignedValues() throws {
        var rng = RandomGenerator(seed: 8)
        let model = BertModel(config: Self.tiny, generator: &rng)
        model.eval()
        let ids = IntTensor([2, 5, 3, 7], shape: [1, 4])
        let before = try model(inputIds: ids).lastHiddenState.toArray()
        let attention = model.encoder.layer[0].attention.selfAttention
        #expect(attention.query.weight.value.storage === attention.value.weight.value.storage)
        var rng2 = RandomGenerator(seed: 9)
        let newKey = Tensor.normal([20, 20], mean: 0, std: 0.5, generator: &rng2)
        attention.key.weight.value = newKey
        let after = try model(inputIds: ids).lastHiddenState.toArray()
        #expect(after != before)
        #expect(attention.key.weight.value.toArray() == newKey.toArray())
        #expect(attention.key.weight.value.storage === newKey.storage, "the forward left the parameter alone")
        // The same model written out and read back (separate, unpacked values) agrees.
        var rng3 = RandomGenerator(seed: 8)
        let copy = BertModel(config: Self.tiny, generator: &rng3)
        copy.eval()
        for ((_, p), (_, q)) in zip(model.namedParameters(), copy.namedParameters()) {
            q.value = Tensor(p.value.toArray(), shape: p.value.shape)
        }
        #expect(try copy(inputIds: ids).lastHiddenState.toArray() == after)
        // A checkpoint load packs them again.
        try BertCheckpoint.load(BertCheckpoint.stateDict(model), into: copy)
        let loaded = copy.encoder.layer[0].attention.selfAttention
        #expect(loaded.query.weight.value.storage === loaded.key.weight.value.storage)
        #expect(loaded.value.bias!.value.storage === loaded.query.bias!.value.storage)
        #expect(try copy(inputIds: ids).lastHiddenState.toArray() == after)
    }

    @Test func paddingDoesNotChangeRealTokens() throws {
        var rng = RandomGenerator(seed: 6)
        let model = BertModel(config: Self.tiny, generator: &rng)
        model.eval()
        let short = try model(inputIds: IntTensor([2, 5, 9, 3], shape: [1, 4])).lastHiddenState
        let padded = try model(inputIds: IntTensor([2, 5, 9, 3, 0, 0], shape: [1, 6]),
                               attentionMask: IntTensor([1, 1, 1, 1, 0, 0], shape: [1, 6])).lastHiddenState
        expectClose(padded.narrow(axis: 1, start: 0, length: 4), short, "padded vs unpadded")
    }

    @Test func badInputsAreTypedErrors() throws {
        var rng = RandomGenerator(seed: 7)
        let model = BertModel(config: Self.tiny, generator: &rng)
        let cases: [(IntTensor, IntTensor?, IntTensor?, String)] = [
            (IntTensor([2, 99, 3], shape: [1, 3]), nil, nil, "outside the vocabulary"),
            (IntTensor([2, -1, 3], shape: [1, 3]), nil, nil, "outside the vocabulary"),
            (IntTensor([Int](repeating: 5, count: 41), shape: [1, 41]), nil, nil, "max_position_embeddings"),
            (IntTensor([2, 5, 3], shape: [1, 3]), IntTensor([1, 1], shape: [1, 2]), nil, "attention_mask shape"),
            (IntTensor([2, 5, 3], shape: [1, 3]), nil, IntTensor([0, 0, 0], shape: [3, 1]), "token_type_ids shape"),
            (IntTensor([2, 5, 3], shape: [1, 3]), nil, IntTensor([0, 3, 0], shape: [1, 3]), "token_type_ids"),
            (IntTensor([2, 5, 3], shape: [3]), nil, nil, "[batch, length]"),
        ]
        for (ids, mask, types, needle) in cases {
            do {
                _ = try model(inputIds: ids, attentionMask: mask, tokenTypeIds: types)
                Issue.record("accepted bad input (\(needle))")
            } catch let error as BertError {
                #expect(error.description.contains(needle), "\(error)")
            }
        }
    }
}
