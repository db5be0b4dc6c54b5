import Foundation
import Testing
import BertKit

/// Dynamic masking statistics (selection, [MASK] / random / kept rates within binomial bounds),
/// specials and padding never labelled, whole-word units, and exact resumption from saved state.
@Suite struct DynamicMaskerTests {
    /// Unmasked instances from the reference corpus (streaming mode, dynamic masking).
    static func instances() throws -> [TrainingInstance] {
        var c = try PretrainingFixtures.cases().first { $0.name == "sotu" }!
        c.settings.staticMasking = false
        c.settings.dupeFactor = 10
        return try PretrainingFixtures.run(c, googleCompatible: false)
    }

    /// |observed − n·p| ≤ 5 standard deviations.
    static func withinBinomial(_ observed: Int, n: Int, p: Double) -> Bool {
        abs(Double(observed) - Double(n) * p) <= 5 * (Double(n) * p * (1 - p)).squareRoot()
    }

    @Test func ratesWithinBinomialBoundsAndSpecialsNeverMasked() throws {
        let vocab = try PretrainingFixtures.vocabulary()
        let instances = try Self.instances()
        #expect(instances.allSatisfy { $0.maskedPositions.isEmpty })
        var masker = DynamicMasker(seed: 7, probability: 0.15)
        let batch = masker.batch(instances, vocabulary: vocab, sequenceLength: 140)
        var candidates = 0, selected = 0, masks = 0, kept = 0, randomized = 0
        for (row, instance) in instances.enumerated() {
            for k in 0..<140 {
                let label = batch.mlmLabels[row * 140 + k]
                guard k < instance.tokens.count else {
                    #expect(label == -100 && batch.inputIds[row * 140 + k] == Int(vocab.padId), "padding")
                    continue
                }
                let original = instance.tokens[k]
                if original == vocab.clsId || original == vocab.sepId {
                    #expect(label == -100, "special token labelled")
                    #expect(batch.inputIds[row * 140 + k] == Int(original), "special token replaced")
                    continue
                }
                candidates += 1
                if label == -100 { #expect(batch.inputIds[row * 140 + k] == Int(original)); continue }
                #expect(label == Int(original))
                selected += 1
                let now = batch.inputIds[row * 140 + k]
                if now == Int(vocab.maskId) { masks += 1 } else if now == Int(original) { kept += 1 } else { randomized += 1 }
            }
        }
        #expect(candidates > 20_000)
        #expect(Self.withinBinomial(selected, n: candidates, p: 0.15), "selected \(selected) of \(candidates)")
        #expect(Self.withinBinomial(masks, n: selected, p: 0.8), "[MASK] \(masks) of \(selected)")
        // A random word can equal the original (1 in ~1600 here): kept ≈ 0.1 + 0.1/|V|.
        let pSame = 0.1 / Double(vocab.randomWordIds.count)
        #expect(Self.withinBinomial(kept, n: selected, p: 0.1 + pSame), "kept \(kept) of \(selected)")
        #expect(Self.withinBinomial(randomized, n: selected, p: 0.1 - pSame), "random \(randomized) of \(selected)")
    }

    @Test func wholeWordSelectsWordsAsUnits() throws {
        let vocab = try PretrainingFixtures.vocabulary()
        let instances = try Self.instances()
        var masker = DynamicMasker(seed: 3, probability: 0.3, wholeWord: true)
        var partial = 0, wholeWordsMasked = 0
        for instance in instances {
            let masked = masker.mask(instance, vocabulary: vocab)
            let positions = Set(masked.maskedPositions.map { Int($0) })
            let specials: Set<Int32> = [vocab.clsId, vocab.sepId]
            for k in 1..<instance.tokens.count where vocab.isContinuation[Int(instance.tokens[k])]
                && !specials.contains(instance.tokens[k - 1]) {
                if positions.contains(k) != positions.contains(k - 1) { partial += 1 }
                if positions.contains(k) { wholeWordsMasked += 1 }
            }
        }
        #expect(partial == 0)
        #expect(wholeWordsMasked > 0)
    }

    @Test func savedStateResumesTheSameMasks() throws {
        let vocab = try PretrainingFixtures.vocabulary()
        let instances = Array(try Self.instances().prefix(64))
        var masker = DynamicMasker(seed: 11, probability: 0.15, wholeWord: true)
        _ = masker.batch(Array(instances.prefix(16)), vocabulary: vocab, sequenceLength: 128)
        let saved = try JSONEncoder().encode(masker)
        let next = masker.batch(Array(instances.suffix(16)), vocabulary: vocab, sequenceLength: 128)
        var resumed = try JSONDecoder().decode(DynamicMasker.self, from: saved)
        #expect(resumed.batch(Array(instances.suffix(16)), vocabulary: vocab, sequenceLength: 128) == next)
        // A different batch draws different masks.
        var again = resumed
        #expect(again.batch(Array(instances.suffix(16)), vocabulary: vocab, sequenceLength: 128) != next)
    }
}
