import Foundation
import Testing
import TensorCore

/// `clipGradNorm` against `torch.nn.utils.clip_grad_norm_` (L2 and inf norms, clipped and
/// unclipped cases).
@Suite struct GradientClippingTests {
    struct Case: Decodable {
        var max_norm: Double
        var norm_type: NormType
        var shapes: [[Int]]
        var grads: [[Float]]
        var total_norm: Double
        var clipped: [[Float]]
    }

    enum NormType: Decodable {
        case p(Double)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text == "inf" { self = .p(.infinity); return }
            self = .p(try container.decode(Double.self))
        }
        var value: Double { if case let .p(v) = self { return v } else { return 2 } }
    }

    static let cases: [Case] = (try? OptimFixtures.decode([Case].self, "optim/clip.json")) ?? []

    @Test func fixtureHasClippedAndUnclippedCases() {
        #expect(Self.cases.contains { $0.total_norm > $0.max_norm })
        #expect(Self.cases.contains { $0.total_norm < $0.max_norm })
        #expect(Self.cases.contains { $0.norm_type.value == .infinity })
    }

    @Test(arguments: cases.indices)
    func matchesTorch(index: Int) {
        let fixture = Self.cases[index]
        let parameters = zip(fixture.shapes, fixture.grads).map { shape, grad in
            let parameter = Parameter(Tensor.zeros(shape), name: "p")
            parameter.grad = Tensor(grad, shape: shape)
            return parameter
        }
        let withoutGradient = Parameter(Tensor.zeros([2]), name: "no grad")
        let total = clipGradNorm(parameters + [withoutGradient], maxNorm: fixture.max_norm,
                                 normType: fixture.norm_type.value)
        #expect(abs(Double(total) - fixture.total_norm) <= 1e-6 * fixture.total_norm, "norm \(total) vs \(fixture.total_norm)")
        for (parameter, expected) in zip(parameters, fixture.clipped) {
            OptimFixtures.expectClose(parameter.grad!.toArray(), expected, "case \(index)")
        }
        #expect(withoutGradient.grad == nil)
    }

    @Test func noGradientsGiveZero() {
        #expect(clipGradNorm([Parameter(Tensor.ones([3]), name: "x")], maxNorm: 1) == 0)
        #expect(clipGradNorm([], maxNorm: 1) == 0)
    }

    /// `gradientClipCoefficient` + `step(gradientScale:)` gives bit-for-bit the parameters and
    /// moments of `clipGradNorm` + `step()`, for AdamW and Adam, over several steps, clipped
    /// and unclipped, without modifying the stored gradients.
    @Test(arguments: [0.05, 100.0])
    func fusedClipAndStepEqualsClipThenStep(maxNorm: Double) {
        func make() -> [Parameter] {
            var rng = RandomGenerator(seed: 77)
            return [[5, 3], [7], [40_000]].map { Parameter(Tensor.normal($0, mean: 0, std: 1, generator: &rng)) }
        }
        for decoupled in [true, false] {
            let (a, b) = (make(), make())
            let oa: any Optimizer = decoupled ? AdamW(parameters: a, learningRate: 0.01) : Adam(parameters: a, learningRate: 0.01, weightDecay: 0.1)
            let ob: any Optimizer = decoupled ? AdamW(parameters: b, learningRate: 0.01) : Adam(parameters: b, learningRate: 0.01, weightDecay: 0.1)
            for step in 0..<3 {
                var rng = RandomGenerator(seed: UInt64(100 + step))
                for (pa, pb) in zip(a, b) {
                    let g = Tensor.normal(pa.shape, mean: 0, std: 2, generator: &rng)
                    pa.grad = Tensor(g.toArray(), shape: g.shape)
                    pb.grad = Tensor(g.toArray(), shape: g.shape)
                }
                let before = b.map { $0.grad!.toArray() }
                let norm = clipGradNorm(a, maxNorm: maxNorm)
                oa.step()
                let clip = gradientClipCoefficient(b, maxNorm: maxNorm)
                #expect(clip.norm == norm)
                #expect((clip.coefficient < 1) == (norm > Float(maxNorm)))
                (ob as! Adam).step(gradientScale: clip.coefficient)  // AdamW is an Adam with decoupled decay
                #expect(b.map { $0.grad!.toArray() } == before, "stored gradients untouched")
                for (pa, pb) in zip(a, b) {
                    #expect(pa.value.toArray() == pb.value.toArray(), "decoupled \(decoupled) step \(step)")
                }
            }
        }
    }
}
