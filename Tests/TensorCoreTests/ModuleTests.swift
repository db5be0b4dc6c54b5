import Foundation
import Testing
import TensorCore

private final class SelfAttentionStub: Module {
    let query: Linear
    let key: Linear
    init(_ rng: inout RandomGenerator) {
        query = Linear(inFeatures: 4, outFeatures: 4, generator: &rng)
        key = Linear(inFeatures: 4, outFeatures: 4, bias: false, generator: &rng)
    }
}

private final class AttentionStub: Module {
    let `self`: SelfAttentionStub
    let scale: Parameter
    init(_ rng: inout RandomGenerator) {
        self.`self` = SelfAttentionStub(&rng)
        scale = Parameter(Tensor.ones([1]))
    }
}

private final class Toggle: TrainingModeModule {
    var isTraining = true
}

private final class EncoderStub: Module {
    let layer: [AttentionStub]
    let pooler: Linear?
    let missing: Linear?
    let toggle = Toggle()
    let tied: Parameter
    let alsoTied: Parameter
    weak var parent: EncoderStub?
    init(_ rng: inout RandomGenerator) {
        layer = [AttentionStub(&rng), AttentionStub(&rng)]
        pooler = Linear(inFeatures: 4, outFeatures: 2, generator: &rng)
        missing = nil
        tied = Parameter(Tensor.zeros([3]))
        alsoTied = tied
    }
}

@Suite struct ModuleTests {
    @Test func namedParametersFollowPropertyPaths() {
        var rng = RandomGenerator(seed: 1)
        let encoder = EncoderStub(&rng)
        encoder.parent = encoder  // a back reference must not loop
        let names = encoder.namedParameters().map(\.0)
        #expect(names == [
            "layer.0.self.query.weight", "layer.0.self.query.bias", "layer.0.self.key.weight", "layer.0.scale",
            "layer.1.self.query.weight", "layer.1.self.query.bias", "layer.1.self.key.weight", "layer.1.scale",
            "pooler.weight", "pooler.bias", "tied",
        ])
        #expect(encoder.parameters().count == 11)
        #expect(encoder.namedParameters()[0].1 === encoder.layer[0].`self`.query.weight)
    }

    @Test func trainEvalPropagateAndZeroGrad() {
        var rng = RandomGenerator(seed: 2)
        let encoder = EncoderStub(&rng)
        encoder.eval()
        #expect(!encoder.isTraining && !encoder.toggle.isTraining)
        // A Linear's forward does not depend on the mode: it stores none (isTraining is derived
        // from the TrainingModeModules of its tree, here none).
        #expect(encoder.layer[1].`self`.query.isTraining)
        encoder.train()
        #expect(encoder.isTraining && encoder.toggle.isTraining && encoder.layer[1].`self`.key.isTraining)

        let linear = encoder.pooler!
        let x = Tensor.normal([3, 4], generator: &rng)
        linear(x).sum().backward()
        #expect(linear.weight.grad != nil && linear.bias!.grad != nil)
        encoder.zeroGrad()
        #expect(encoder.parameters().allSatisfy { $0.grad == nil })
    }

    @Test func linearInitialisation() {
        var rng = RandomGenerator(seed: 3)
        let layer = Linear(inFeatures: 400, outFeatures: 300, generator: &rng)
        #expect(layer.weight.shape == [300, 400] && layer.bias!.shape == [300])
        let bound = 1 / Float(400).squareRoot()
        let w = layer.weight.value.toArray()
        #expect(w.allSatisfy { Swift.abs($0) <= bound })
        // U(−b, b) has variance b²/3
        let variance = w.reduce(0.0) { $0 + Double($1 * $1) } / Double(w.count)
        #expect(Swift.abs(variance - Double(bound * bound) / 3) / (Double(bound * bound) / 3) < 0.02)
        #expect(layer.bias!.value.toArray().allSatisfy { Swift.abs($0) <= bound })

        let normal = Linear(inFeatures: 400, outFeatures: 300, initialization: .normal(std: 0.02), generator: &rng)
        let nw = normal.weight.value.toArray()
        let std = (nw.reduce(0.0) { $0 + Double($1 * $1) } / Double(nw.count)).squareRoot()
        #expect(Swift.abs(std - 0.02) < 0.0005)
        #expect(normal.bias!.value.toArray().allSatisfy { $0 == 0 })
        let truncated = Linear(inFeatures: 50, outFeatures: 50, bias: false, initialization: .truncatedNormal(std: 0.02), generator: &rng)
        #expect(truncated.weight.value.toArray().allSatisfy { Swift.abs($0) <= 0.04 })
        #expect(truncated.bias == nil)
    }

    @Test func linearMatchesMatmulAndChecksGradients() {
        var rng = RandomGenerator(seed: 4)
        let layer = Linear(inFeatures: 5, outFeatures: 3, generator: &rng)
        let x = Tensor.normal([2, 4, 5], generator: &rng)
        let y = layer(x)
        #expect(y.shape == [2, 4, 3])
        let w = layer.weight.value.toArray(), b = layer.bias!.value.toArray(), xv = x.toArray()
        var expected: [Double] = []
        for r in 0..<8 { for o in 0..<3 {
            var s = Double(b[o])
            for i in 0..<5 { s += Double(xv[r * 5 + i]) * Double(w[o * 5 + i]) }
            expected.append(s)
        } }
        expectClose(y, expected, tolerance: 1e-6)

        let weight = layer.weight.value.detached(), bias = layer.bias!.value.detached()
        expectGradient({ Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }, [x, weight, bias])
        expectGradient({ Tensor.linear($0[0], weight: $0[1], bias: nil) }, [x, weight])
        // strided inputs: transposed activations, a transposed (column-major) weight, a 1-D input
        let xt = Tensor.normal([5, 6], generator: &rng).transposed()                   // [6, 5]
        let wt = Tensor.normal([5, 3], generator: &rng).transposed()                   // [3, 5]
        let x3 = Tensor.normal([3, 2, 5], generator: &rng).permute([1, 0, 2])           // [2, 3, 5] not foldable
        expectGradient({ Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }, [xt, wt, bias])
        expectGradient({ Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }, [x3, weight, bias])
        expectGradient({ Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }, [Tensor.normal([5], generator: &rng), weight, bias])
    }
}
