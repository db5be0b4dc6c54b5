import ArgumentParser
import Foundation
import TensorCore

/// `bert mlp-example`: trains a small MLP classifier end to end on TensorCore alone
/// (synthetic three-arm spirals), printing the falling loss and the accuracy.
struct MLPExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp-example",
        abstract: "Train a small MLP on synthetic spirals with TensorCore (autograd, Linear, AdamW)."
    )

    @Option(help: "Training steps (full batch).") var steps: Int = 300
    @Option(help: "Hidden width of the two hidden layers.") var hidden: Int = 64
    @Option(help: "Points per class.") var points: Int = 200
    @Option(help: "Random seed.") var seed: UInt64 = 42

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        guard hidden > 0 else { throw ValidationError("--hidden must be positive, got \(hidden)") }
        guard points > 1 else { throw ValidationError("--points must be at least 2, got \(points)") }
    }

    func run() throws {
        var generator = RandomGenerator(seed: seed)
        let classes = 3
        let (x, y) = Self.spirals(pointsPerClass: points, classes: classes, generator: &generator)
        let model = MLP(inputs: 2, hidden: hidden, outputs: classes, generator: &generator)
        let optimizer = AdamW(parameters: model.parameters(), learningRate: 0.01, weightDecay: 1e-4)
        print("MLP 2→\(hidden)→\(hidden)→\(classes), \(points * classes) points, \(steps) steps of AdamW")
        let start = Date()
        for step in 1...steps {
            optimizer.zeroGrad()
            let logits = model(x)                                     // [N, classes]
            let loss = crossEntropy(logits: logits, targets: y)       // []
            loss.backward()
            optimizer.step()
            if step == 1 || step % max(1, steps / 10) == 0 || step == steps {
                let accuracy = Self.accuracy(logits: logits, targets: y)
                print(String(format: "step %4d  loss %.4f  accuracy %.1f%%", step, loss.item, accuracy * 100))
            }
        }
        let final = withNoGrad { model(x) }
        print(String(format: "final accuracy %.1f%% in %.2f s", Self.accuracy(logits: final, targets: y) * 100,
                     Date().timeIntervalSince(start)))
    }

    /// Three interleaved noisy spirals in the plane: x [N, 2], labels [N].
    static func spirals(pointsPerClass n: Int, classes: Int, generator: inout RandomGenerator) -> (Tensor, IntTensor) {
        var coordinates: [Float] = []
        var labels: [Int] = []
        coordinates.reserveCapacity(n * classes * 2)
        for c in 0..<classes {
            for i in 0..<n {
                let r = Float(i) / Float(n - 1)
                let angle = Float(c) * 4 + 4 * r + 0.2 * generator.nextNormal()
                coordinates += [r * sin(angle), r * cos(angle)]
                labels.append(c)
            }
        }
        return (Tensor(coordinates, shape: [n * classes, 2]), IntTensor(labels, shape: [n * classes]))
    }

    static func accuracy(logits: Tensor, targets: IntTensor) -> Double {
        let predicted = logits.argmax(axis: 1).values
        let correct = zip(predicted, targets.values).filter { $0 == $1 }.count
        return Double(correct) / Double(targets.values.count)
    }
}

/// Two hidden ReLU layers.
final class MLP: Module {
    let fc1: Linear
    let fc2: Linear
    let fc3: Linear

    init(inputs: Int, hidden: Int, outputs: Int, generator: inout RandomGenerator) {
        fc1 = Linear(inFeatures: inputs, outFeatures: hidden, generator: &generator)
        fc2 = Linear(inFeatures: hidden, outFeatures: hidden, generator: &generator)
        fc3 = Linear(inFeatures: hidden, outFeatures: outputs, generator: &generator)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let h1 = fc1(x).relu()   // [N, hidden]
        let h2 = fc2(h1).relu()  // [N, hidden]
        return fc3(h2)           // [N, outputs]
    }
}
