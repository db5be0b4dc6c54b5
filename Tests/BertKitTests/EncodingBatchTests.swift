import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Batches from encodings (`BertInput(encodings:)`) and sentence embeddings from encodings and
/// from raw ids, on a small random model: masks and type ids are carried, padding never counts.
@Suite struct EncodingBatchTests {
    static let config = BertConfig(vocabSize: 50, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                                   intermediateSize: 32, maxPositionEmbeddings: 16)

    static func model() -> BertModel {
        var rng = RandomGenerator(seed: 7)
        let m = BertModel(config: config, generator: &rng)
        m.eval()
        return m
    }

    static func encoding(_ ids: [Int], types: [Int]? = nil, mask: [Int]? = nil) -> Encoding {
        Encoding(ids: ids, typeIds: types ?? [Int](repeating: 0, count: ids.count),
                 attentionMask: mask ?? [Int](repeating: 1, count: ids.count))
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func padsToTheLongestAndCarriesMaskAndTypeIds() throws {
        let a = Self.encoding([2, 5, 6, 3, 7, 8, 3], types: [0, 0, 0, 0, 1, 1, 1])
        let b = Self.encoding([2, 9, 3, 0], mask: [1, 1, 1, 0])  // already padded by a tokenizer
        let input = try BertInput(encodings: [a, b], config: Self.config)
        #expect(input.inputIds.shape == [2, 7])
        #expect(input.inputIds.values == [2, 5, 6, 3, 7, 8, 3, 2, 9, 3, 0, 0, 0, 0])
        #expect(input.attentionMask.values == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
        #expect(input.tokenTypeIds.values == [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
        let fixed = try BertInput(encodings: [b], length: 6, config: Self.config)
        #expect(fixed.inputIds.shape == [1, 6] && fixed.attentionMask.values == [1, 1, 1, 0, 0, 0])
    }

    @Test func refusesWhatCannotBeABatch() {
        let config = Self.config
        #expect(Self.message { _ = try BertInput(encodings: [], config: config) }.contains("no encodings"))
        let padOnly = Self.encoding([0, 0], mask: [0, 0])
        #expect(Self.message { _ = try BertInput(encodings: [Self.encoding([2, 3]), padOnly], config: config) }
            .contains("encoding 1 has no real token"))
        let handMade = Encoding(ids: [2, 3])  // no mask, no type ids
        #expect(Self.message { _ = try BertInput(encodings: [handMade], config: config) }
            .contains("encoding 0 has 2 ids but 0 attention-mask values"))
        #expect(Self.message { _ = try BertInput(encodings: [Self.encoding([2, 4, 3])], length: 2, config: config) }
            .contains("more than the length 2"))
        #expect(Self.message { _ = try BertInput(encodings: [Self.encoding([2, 99, 3])], config: config) }
            .contains("outside the vocabulary"))
    }

    /// Right padding (as tokenizer.json's fixed padding adds) changes no vector; the batch size
    /// and order do not either.
    @Test func paddingDoesNotChangeEmbeddings() throws {
        let model = Self.model()
        let plain = [Self.encoding([2, 5, 6, 7, 3]), Self.encoding([2, 9, 3]), Self.encoding([2, 11, 12, 13, 14, 15, 3])]
        var padded = plain
        for k in padded.indices {
            let n = 12 - padded[k].count
            padded[k] = Self.encoding(padded[k].ids + [Int](repeating: 0, count: n),
                                      mask: [Int](repeating: 1, count: padded[k].count) + [Int](repeating: 0, count: n))
        }
        for pooling in Pooling.allCases {
            let want = try model.sentenceEmbeddings(plain, pooling: pooling, batchSize: 1)
            let got = try model.sentenceEmbeddings(padded, pooling: pooling, batchSize: 2)
            for k in want.indices {
                expectClose(Tensor(got[k], shape: [16]), Tensor(want[k], shape: [16]), atol: 1e-5, rtol: 1e-5,
                            "\(pooling) vector \(k)")
            }
        }
    }

    /// Mean pooling averages exactly the attended positions and cls takes the first attended
    /// one, also when the padding is on the left (positions as transformers gives them).
    @Test func poolingFollowsTheMask() throws {
        let model = Self.model()
        let left = Self.encoding([0, 0, 2, 5, 6, 3], mask: [0, 0, 1, 1, 1, 1])
        let hidden = withNoGrad { model(try! BertInput(encodings: [left], config: Self.config)) }
            .lastHiddenState.contiguous().toArray()  // [1, 6, 16]
        let row = { (j: Int) in Array(hidden[(j * 16)..<((j + 1) * 16)]) }
        var mean = [Float](repeating: 0, count: 16)
        for j in 2..<6 { for k in 0..<16 { mean[k] += row(j)[k] / 4 } }
        let got = try model.sentenceEmbeddings([left], pooling: .mean)[0]
        expectClose(Tensor(got, shape: [16]), Tensor(mean, shape: [16]), atol: 1e-5, rtol: 1e-5, "mean of 4 tokens")
        let cls = try model.sentenceEmbeddings([left], pooling: .cls)[0]
        #expect(cls == row(2))
    }

    /// Raw ids are all real tokens: equal to the all-ones-mask encodings; a row ending in the pad
    /// id (a padded row) and an empty row are refused with a message that says what to do.
    @Test func rawIdsAreRealTokensAndPaddedRowsAreRefused() throws {
        let model = Self.model()
        let ids = [[2, 5, 6, 3], [2, 0, 3]]  // a [PAD] id inside a text is a token like any other
        let fromIds = try model.sentenceEmbeddings(ids, pooling: .mean)
        let fromEncodings = try model.sentenceEmbeddings(ids.map { Self.encoding($0) }, pooling: .mean)
        #expect(fromIds == fromEncodings)
        let padded = Self.message { _ = try model.sentenceEmbeddings([[2, 5, 3], [2, 3, 0, 0]], pooling: .mean) }
        #expect(padded.contains("sequence 1 ends in the pad id 0") && padded.contains("encodings"), "\(padded)")
        #expect(Self.message { _ = try model.sentenceEmbeddings([[]], pooling: .cls) }.contains("sequence 0 is empty"))
    }
}
