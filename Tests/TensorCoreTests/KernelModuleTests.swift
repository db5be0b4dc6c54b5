import Testing
import TensorCore

/// Embedding, LayerNorm and Dropout modules: Hugging Face parameter names, initialisation,
/// training/eval behaviour.
@Suite struct KernelModuleTests {
    @Test func embeddingModule() {
        var rng = RandomGenerator(seed: 1)
        let e = Embedding(count: 50, dimension: 16, paddingIndex: 3, generator: &rng)
        #expect(e.namedParameters().map(\.0) == ["weight"])
        #expect(e.weight.shape == [50, 16])
        let w = e.weight.value.toArray()
        #expect(w[(3 * 16)..<(4 * 16)].allSatisfy { $0 == 0 }, "padding row starts at zero")
        // normal(0, 1) by default: sample moments of 784 non-padding values.
        let others = w.enumerated().filter { $0.offset / 16 != 3 }.map { Double($0.element) }
        let mean = others.reduce(0, +) / Double(others.count)
        let variance = others.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(others.count)
        #expect(abs(mean) < 0.15 && abs(variance - 1) < 0.15, "mean \(mean) variance \(variance)")
        var rng2 = RandomGenerator(seed: 1)
        let small = Embedding(count: 50, dimension: 16, initialization: .normal(std: 0.02), generator: &rng2)
        #expect(small.weight.value.toArray().allSatisfy { abs($0) < 0.2 })

        let ids = IntTensor([3, 7, 7, 0], shape: [2, 2])
        let h = e(ids)
        #expect(h.shape == [2, 2, 16])
        h.sum().backward()
        let g = e.weight.grad!.toArray()
        #expect(g[(3 * 16)..<(4 * 16)].allSatisfy { $0 == 0 })
        #expect(g[(7 * 16)..<(8 * 16)].allSatisfy { $0 == 2 })
        #expect(g[0..<16].allSatisfy { $0 == 1 })
    }

    @Test func layerNormModule() {
        let norm = LayerNorm(dimension: 8, eps: 1e-12)
        #expect(norm.namedParameters().map(\.0) == ["weight", "bias"])
        #expect(norm.weight.value.toArray() == [Float](repeating: 1, count: 8))
        #expect(norm.bias.value.toArray() == [Float](repeating: 0, count: 8))
        let x = KernelCheck.uniform([3, 8])
        let y = norm(x)
        KernelCheck.close(y, x.layerNorm(weight: nil, bias: nil, eps: 1e-12).toArray().map(Double.init),
                          absolute: 0, relative: 0, "affine identity at init")
        y.sum().backward()
        #expect(norm.weight.grad != nil && norm.bias.grad!.toArray() == [Float](repeating: 3, count: 8))
    }

    /// A property named like the Hugging Face key (`LayerNorm`), shadowing the type name.
    typealias LayerNormModule = LayerNorm
    final class Block: Module {
        let LayerNorm = LayerNormModule(dimension: 4)
        let dropout = Dropout(probability: 0.5, seed: 9)
        var isTraining = true
    }

    @Test func dropoutModuleFollowsTrainingMode() {
        let block = Block()
        #expect(block.namedParameters().map(\.0) == ["LayerNorm.weight", "LayerNorm.bias"])
        let x = Tensor.ones([20, 20])
        let trained = block.dropout(x).toArray()
        #expect(trained.contains(0) && trained.contains(2))
        #expect(block.dropout(x).toArray() != trained, "a new mask per call")
        block.eval()
        #expect(!block.dropout.isTraining)
        #expect(block.dropout(x).toArray() == x.toArray())
        block.train()
        #expect(block.dropout(x).toArray().contains(0))
    }

    @Test func dropoutSeeding() {
        // Explicit seeds reproduce; instances derived one after the other from a stream differ
        // (there is no process-wide default seed any more).
        let a = Dropout(probability: 0.5, seed: 4), b = Dropout(probability: 0.5, seed: 4)
        let x = Tensor.ones([64])
        #expect(a(x).toArray() == b(x).toArray())
        var shared = RandomGenerator(seed: 6)
        let c = Dropout(probability: 0.5, generator: &shared), d = Dropout(probability: 0.5, generator: &shared)
        #expect(c.generator != d.generator)
        var rng = RandomGenerator(seed: 5)
        let e = Dropout(probability: 0.5, generator: &rng)
        var rng2 = RandomGenerator(seed: 5)
        let f = Dropout(probability: 0.5, generator: &rng2)
        #expect(e.generator == f.generator && rng == rng2)
    }
}
