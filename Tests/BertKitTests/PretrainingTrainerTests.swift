import Foundation
import Testing
import BertKit
import TensorCore

/// The trainer step: gradient accumulation equals the one large batch (normalised over masked
/// tokens, not per micro-batch), a batch without masked tokens gives MLM loss 0, a non-finite
/// loss stops the run naming the step (or is skipped and counted), and the data cursor's order.
@Suite struct PretrainingTrainerTests {
    @Test func gradientAccumulationMatchesOneLargeBatch() throws {
        // Micro-batches with very different masked-token counts: a per-micro-batch mean would differ.
        var examples = PretrainingTestData.examples(16, seed: 3)
        for i in 0..<4 { examples[i].maskedPositions = Array(examples[i].maskedPositions.prefix(1)); examples[i].maskedLabels = Array(examples[i].maskedLabels.prefix(1)) }
        let source = InMemoryBatchSource(examples, sequenceLength: 24)
        let one = PretrainingTestData.trainer(PretrainingTestData.model(dropout: 0))
        let four = PretrainingTestData.trainer(PretrainingTestData.model(dropout: 0))
        for step in 0..<4 {
            let indices = Array(0..<16).map { ($0 + step * 5) % 16 }
            let big = try source.batch(indices: indices)
            let a = try one.step([big])
            let b = try four.step((0..<4).map { big.rows(($0 * 4)..<($0 * 4 + 4)) })
            #expect(a.maskedTokens == b.maskedTokens && a.sequences == b.sequences)
            for (name, x, y) in [("loss", a.loss, b.loss), ("mlm", a.mlmLoss, b.mlmLoss), ("nsp", a.nspLoss, b.nspLoss),
                                 ("norm", a.gradientNorm, b.gradientNorm)] {
                #expect(abs(x - y) <= 2e-5 * abs(x), "step \(step + 1) \(name): one batch \(x), 4 micro-batches \(y)")
            }
            #expect(a.mlmAccuracy == b.mlmAccuracy)
        }
        for ((name, p), (_, q)) in zip(one.model.namedParameters(), four.model.namedParameters()) {
            let diff = zip(p.value.toArray(), q.value.toArray()).map { abs($0 - $1) }.max() ?? 0
            #expect(diff < 1e-5, "\(name) differs by \(diff)")
        }
    }

    @Test func batchWithoutMaskedTokenHasZeroMLMLoss() throws {
        let trainer = PretrainingTestData.trainer(PretrainingTestData.model())
        let batch = try TrainingBatch(examples: PretrainingTestData.examples(4, masked: false), sequenceLength: 24)
        let result = try trainer.step([batch])
        #expect(result.maskedTokens == 0)
        #expect(result.mlmLoss == 0 && result.mlmAccuracy == 0)
        #expect(result.loss.isFinite && result.loss == result.nspLoss.rounded(toPlaces: Float.self))
    }

    @Test func nonFiniteLossStopsNamingTheStepOrIsSkipped() throws {
        let model = PretrainingTestData.model()
        let trainer = PretrainingTestData.trainer(model)
        let batch = try TrainingBatch(examples: PretrainingTestData.examples(4), sequenceLength: 24)
        _ = try trainer.step([batch])
        let before = model.namedParameters().map { $0.1.value.toArray() }
        // Poison one weight: every logit becomes NaN.
        let weight = model.bert.embeddings.wordEmbeddings.weight
        var values = weight.value.toArray()
        values[5] = .nan
        let good = weight.value
        weight.value = Tensor(values, shape: weight.value.shape)
        #expect(throws: TrainingError.self) { _ = try trainer.step([batch]) }
        do { _ = try trainer.step([batch]) } catch let TrainingError.nonFiniteLoss(step, loss, _) {
            #expect(step == 2 && loss.isNaN)
        }
        weight.value = good
        #expect(model.namedParameters().map { $0.1.value.toArray() } == before, "a non-finite step changed the parameters")
        #expect(trainer.completedSteps == 1)
        weight.value = Tensor(values, shape: weight.value.shape)
        trainer.skipNonFinite = true
        let skipped = try trainer.step([batch])
        #expect(skipped.skipped && trainer.skippedSteps == 1 && trainer.completedSteps == 2)
    }

    @Test func cursorCoversEveryExampleOncePerEpochAndRunsAcrossEpochs() {
        var cursor = DataCursor(count: 10, seed: 5, shuffle: true)
        let first = cursor.next(4) + cursor.next(4) + cursor.next(2)
        #expect(first.sorted() == Array(0..<10) && first != Array(0..<10))
        let straddle = cursor.next(7) + cursor.next(7)
        #expect(Array(straddle.prefix(10)).sorted() == Array(0..<10))
        #expect(cursor.epoch == 2 && cursor.position == 4)
        let copy = try! JSONDecoder().decode(DataCursor.self, from: JSONEncoder().encode(cursor))
        var a = cursor, b = copy
        #expect(a.next(9) == b.next(9))
        var plain = DataCursor(count: 5, seed: 5, shuffle: false)
        #expect(plain.next(7) == [0, 1, 2, 3, 4, 0, 1])
    }
}

extension Double {
    /// This value rounded to `T` and back (the precision the model computes in).
    func rounded(toPlaces _: Float.Type) -> Double { Double(Float(self)) }
}
