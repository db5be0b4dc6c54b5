import Testing
import TensorCore

/// Numeric parity with PyTorch: Fixtures/kernels.json holds inputs, outputs and input
/// gradients (for a fixed upstream gradient) computed by torch 2.15 in float32 — see
/// Scripts/make_kernel_fixtures.py. Forward and gradient tolerances are separate.
@Suite struct KernelParityTests {
    static let forwardTolerance = (absolute: 2e-6, relative: 2e-6)
    static let gradientTolerance = (absolute: 5e-6, relative: 1e-5)

    static func caseNames() -> [String] {
        (try? KernelCheck.fixtures().cases.map(\.name)) ?? ["<fixtures missing>"]
    }

    /// Runs the op named by a fixture case on parameters holding its inputs.
    static func run(_ c: KernelFixtureCase, _ p: [String: Parameter]) -> Tensor {
        func v(_ name: String) -> Tensor { p[name]!.value }
        func number(_ key: String) -> Double { c.params[key]!.number! }
        func reduction() -> LossReduction {
            switch c.params["reduction"]?.text {
            case "sum": return .sum
            case "none": return .none
            default: return .mean
            }
        }
        switch c.op {
        case "tanh": return v("x").tanh()
        case "sigmoid": return v("x").sigmoid()
        case "erf": return v("x").erf()
        case "gelu": return v("x").gelu(approximation: c.params["approximation"]?.text == "tanh" ? .tanh : .none)
        case "quickGelu": return v("x").quickGelu()
        case "silu": return v("x").silu()
        case "softmax": return v("x").softmax(axis: Int(number("axis")))
        case "logSoftmax": return v("x").logSoftmax(axis: Int(number("axis")))
        case "layerNorm": return v("x").layerNorm(weight: v("weight"), bias: v("bias"), eps: Float(number("eps")))
        case "crossEntropy":
            return crossEntropy(logits: v("logits"), targets: c.intInputs["targets"]!.intTensor,
                                ignoreIndex: Int(number("ignoreIndex")), reduction: reduction())
        case "mseLoss": return mseLoss(v("input"), v("target"), reduction: reduction())
        case "binaryCrossEntropyWithLogits":
            return binaryCrossEntropyWithLogits(v("input"), v("target"), reduction: reduction())
        case "embedding":
            return embedding(weight: v("weight"), indices: c.intInputs["indices"]!.intTensor,
                             paddingIndex: Int(number("paddingIndex")))
        case "indexSelect":
            return v("x").indexSelect(axis: Int(number("axis")), indices: c.intInputs["indices"]!.intTensor)
        default:
            Issue.record("fixture case \(c.name): unknown op \(c.op)")
            return Tensor(0)
        }
    }

    @Test func fixturesArePresentAndCoverEveryOp() throws {
        let file = try KernelCheck.fixtures()
        #expect(file.torch.hasPrefix("2.15"))
        let ops = Set(file.cases.map(\.op))
        #expect(ops == ["tanh", "sigmoid", "erf", "gelu", "quickGelu", "silu", "softmax", "logSoftmax", "layerNorm",
                        "crossEntropy", "mseLoss", "binaryCrossEntropyWithLogits", "embedding", "indexSelect"])
    }

    @Test(arguments: caseNames())
    func matchesPyTorch(_ name: String) throws {
        let file = try KernelCheck.fixtures()
        let c = try #require(file.cases.first { $0.name == name })
        let parameters = c.inputs.mapValues { Parameter($0.tensor) }
        let out = Self.run(c, parameters)
        KernelCheck.close(out, c.output.data, shape: c.output.shape, absolute: Self.forwardTolerance.absolute,
                          relative: Self.forwardTolerance.relative, "\(name) forward")
        out.backward(gradient: c.upstream.tensor)
        for (input, expected) in c.grads {
            let grad = parameters[input]!.grad ?? Tensor.zeros(expected.shape)
            KernelCheck.close(grad, expected.data, shape: expected.shape, absolute: Self.gradientTolerance.absolute,
                              relative: Self.gradientTolerance.relative, "\(name) d\(input)")
        }
    }
}
