import Foundation
import Testing
import TensorCore

/// Helpers shared by the fused-kernel test suites (activations, softmax, layer norm, losses,
/// indexing, dropout, PyTorch parity).
enum KernelCheck {
    /// Expects `actual` to equal `expected` within `absolute + relative · |expected|` per
    /// element; on failure reports the largest violation, its index and both values.
    static func close(_ actual: Tensor, _ expected: [Double], shape: [Int]? = nil,
                      absolute: Double = 1e-6, relative: Double = 1e-5, _ what: String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) {
        if let shape {
            #expect(actual.shape == shape, "\(what): shape \(actual.shape) ≠ \(shape)", sourceLocation: sourceLocation)
        }
        close(actual.toArray(), expected, absolute: absolute, relative: relative, what,
              sourceLocation: sourceLocation)
    }

    static func close(_ actual: [Float], _ expected: [Double], absolute: Double = 1e-6,
                      relative: Double = 1e-5, _ what: String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
                sourceLocation: sourceLocation)
        guard actual.count == expected.count else { return }
        var worst = 0.0, worstIndex = -1
        for i in 0..<actual.count {
            let a = Double(actual[i]), e = expected[i]
            let excess: Double
            if a.isNaN || e.isNaN {
                excess = a.isNaN == e.isNaN ? 0 : .infinity
            } else if a.isInfinite || e.isInfinite {
                excess = a == e ? 0 : .infinity
            } else {
                excess = abs(a - e) / (absolute + relative * abs(e))
            }
            if excess > worst { worst = excess; worstIndex = i }
        }
        #expect(worst <= 1, "\(what): worst element \(worstIndex): \(worstIndex >= 0 ? Double(actual[worstIndex]) : 0) vs expected \(worstIndex >= 0 ? expected[worstIndex] : 0) (\(worst)× the tolerance abs \(absolute) rel \(relative))",
                sourceLocation: sourceLocation)
    }

    /// Runs the core's finite-difference ``gradientCheck`` and expects it to pass.
    static func gradient(_ what: String, inputs: [Tensor], epsilon: Float = 1e-2,
                         tolerance: Float = 2e-3, sourceLocation: SourceLocation = #_sourceLocation,
                         _ f: ([Tensor]) -> Tensor) {
        let result = gradientCheck(f, inputs: inputs, epsilon: epsilon, tolerance: tolerance)
        #expect(result.passed, "\(what): \(result)", sourceLocation: sourceLocation)
    }

    /// Deterministic values in [low, high).
    static func uniform(_ shape: [Int], low: Float = -3, high: Float = 3, seed: UInt64 = 7) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor.uniform(shape, low: low, high: high, generator: &rng)
    }

    /// A non-contiguous tensor with the values of `uniform(shape)`-like data: the transpose of
    /// a contiguous `[shape[1], shape[0]]` tensor (2-D only).
    static func transposedInput(_ shape: [Int], seed: UInt64 = 11) -> Tensor {
        precondition(shape.count == 2)
        let t = uniform([shape[1], shape[0]], seed: seed).transposed(0, 1)
        #expect(!t.isContiguous)
        return t
    }

    /// A non-contiguous tensor: columns 1..<(n+1) of a wider contiguous tensor.
    static func slicedInput(_ shape: [Int], seed: UInt64 = 13) -> Tensor {
        var wide = shape
        wide[wide.count - 1] += 2
        let t = uniform(wide, seed: seed).narrow(axis: shape.count - 1, start: 1, length: shape[shape.count - 1])
        #expect(!t.isContiguous)
        return t
    }

    /// Loads `Fixtures/kernels.json` (written by Scripts/make_kernel_fixtures.py).
    static func fixtures() throws -> KernelFixtureFile {
        guard let url = Bundle.module.url(forResource: "kernels", withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureMissing()
        }
        return try JSONDecoder().decode(KernelFixtureFile.self, from: Data(contentsOf: url))
    }

    struct FixtureMissing: Error {}
}

/// Fixture file of Scripts/make_kernel_fixtures.py.
struct KernelFixtureFile: Decodable {
    var torch: String
    var cases: [KernelFixtureCase]
}

struct KernelFixtureTensor: Decodable {
    var shape: [Int]
    var data: [Double]

    var tensor: Tensor { Tensor(data.map(Float.init), shape: shape) }
}

struct KernelFixtureIntTensor: Decodable {
    var shape: [Int]
    var data: [Int]

    var intTensor: IntTensor { IntTensor(data, shape: shape) }
}

/// Option values of a fixture case (numbers or strings).
enum KernelFixtureParam: Decodable {
    case number(Double)
    case text(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    var number: Double? { if case .number(let d) = self { return d } else { return nil } }
    var text: String? { if case .text(let s) = self { return s } else { return nil } }
}

struct KernelFixtureCase: Decodable {
    var name: String
    var op: String
    var params: [String: KernelFixtureParam]
    var inputs: [String: KernelFixtureTensor]
    var intInputs: [String: KernelFixtureIntTensor]
    var output: KernelFixtureTensor
    var upstream: KernelFixtureTensor
    var grads: [String: KernelFixtureTensor]
}
