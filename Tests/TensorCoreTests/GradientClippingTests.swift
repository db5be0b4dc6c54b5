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
}
