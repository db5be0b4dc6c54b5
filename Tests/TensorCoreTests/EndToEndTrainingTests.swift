import Foundation
import Testing
import TensorCore

/// End to end: Linear + relu + cross-entropy + AdamW learn a non-linear problem (two noisy
/// concentric rings), so a regression anywhere along forward, backward or update shows here.
@Suite struct EndToEndTrainingTests {
    @Test func mlpLearnsTwoRings() {
        var generator = RandomGenerator(seed: 7)
        let n = 200
        var coordinates: [Float] = []
        var labels: [Int] = []
        for i in 0..<n {
            let label = i % 2
            let radius: Float = label == 0 ? 0.5 : 1.0
            let angle = generator.nextFloat() * 2 * .pi
            let r = radius + 0.05 * generator.nextNormal()
            coordinates += [r * cosf(angle), r * sinf(angle)]
            labels.append(label)
        }
        let x = Tensor(coordinates, shape: [n, 2])
        let y = IntTensor(labels, shape: [n])
        let fc1 = Linear(inFeatures: 2, outFeatures: 32, generator: &generator)
        let fc2 = Linear(inFeatures: 32, outFeatures: 2, generator: &generator)
        let optimizer = AdamW(parameters: fc1.parameters() + fc2.parameters(), learningRate: 0.02)
        var losses: [Float] = []
        for _ in 0..<200 {
            optimizer.zeroGrad()
            let loss = crossEntropy(logits: fc2(fc1(x).relu()), targets: y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item)
        }
        let predicted = withNoGrad { fc2(fc1(x).relu()) }.argmax(axis: 1).values
        let accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(n)
        #expect(losses[0] > 0.5, "initial loss \(losses[0]) should be near ln 2")
        #expect(losses.last! < 0.1 * losses[0], "loss went from \(losses[0]) to \(losses.last!)")
        #expect(accuracy > 0.97, "accuracy \(accuracy)")
    }
}
