import Foundation
import Testing
import TensorCore

/// Forward values (against Float64 references computed here) and finite-difference gradients of
/// tanh, sigmoid, erf, gelu (both forms), quickGelu and silu.
@Suite struct ActivationOpTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var op: @Sendable (Tensor) -> Tensor
        var reference: @Sendable (Double) -> Double
        var description: String { name }
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    static let cases: [Case] = [
        Case(name: "tanh", op: { $0.tanh() }, reference: { Foundation.tanh($0) }),
        Case(name: "sigmoid", op: { $0.sigmoid() }, reference: { sigmoid($0) }),
        Case(name: "erf", op: { $0.erf() }, reference: { Foundation.erf($0) }),
        Case(name: "gelu", op: { $0.gelu() }, reference: { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }),
        Case(name: "gelu_tanh", op: { $0.gelu(approximation: .tanh) },
             reference: { 0.5 * $0 * (1 + Foundation.tanh(0.7978845608028654 * ($0 + 0.044715 * $0 * $0 * $0))) }),
        Case(name: "quickGelu", op: { $0.quickGelu() }, reference: { $0 * sigmoid(1.702 * $0) }),
        Case(name: "silu", op: { $0.silu() }, reference: { $0 * sigmoid($0) }),
    ]

    @Test(arguments: cases)
    func forwardMatchesFloat64Reference(_ c: Case) {
        // Large enough to take the multi-core path, values across every approximation region.
        let x = KernelCheck.uniform([300, 257], low: -8, high: 8)
        let y = c.op(x)
        let expected = x.toArray().map { c.reference(Double($0)) }
        KernelCheck.close(y, expected, shape: x.shape, absolute: 1e-6, relative: 1e-6, c.name)
    }

    @Test(arguments: cases)
    func forwardOnNonContiguousInputs(_ c: Case) {
        for x in [KernelCheck.transposedInput([6, 9]), KernelCheck.slicedInput([5, 7])] {
            let expected = x.toArray().map { c.reference(Double($0)) }
            KernelCheck.close(c.op(x), expected, shape: x.shape, absolute: 1e-6, relative: 1e-6, c.name)
        }
    }

    @Test(arguments: cases)
    func gradientCheck(_ c: Case) {
        let op = c.op
        KernelCheck.gradient("\(c.name) contiguous", inputs: [KernelCheck.uniform([4, 6], low: -4, high: 4)]) { op($0[0]) }
        KernelCheck.gradient("\(c.name) transposed", inputs: [KernelCheck.transposedInput([5, 4])]) { op($0[0]) }
        KernelCheck.gradient("\(c.name) sliced", inputs: [KernelCheck.slicedInput([3, 5])]) { op($0[0]) }
        // Broadcast input: a [1, 5] row expanded to [4, 5] (its gradient sums over the rows).
        KernelCheck.gradient("\(c.name) broadcast", inputs: [KernelCheck.uniform([1, 5])]) { op($0[0].expand(to: [4, 5])) }
    }

    @Test func analyticGradientMatchesFloat64DerivativeOnALargeTensor() {
        // Exercises the multi-core backward against closed-form derivatives.
        let x = KernelCheck.uniform([256, 300], low: -6, high: 6, seed: 3)
        let values = x.toArray().map(Double.init)
        let derivatives: [(String, (Tensor) -> Tensor, (Double) -> Double)] = [
            ("tanh", { $0.tanh() }, { 1 - Foundation.tanh($0) * Foundation.tanh($0) }),
            ("sigmoid", { $0.sigmoid() }, { Self.sigmoid($0) * (1 - Self.sigmoid($0)) }),
            ("erf", { $0.erf() }, { 2 / Double.pi.squareRoot() * Foundation.exp(-$0 * $0) }),
            ("gelu", { $0.gelu() }, {
                0.5 * (1 + Foundation.erf($0 / 2.0.squareRoot())) + $0 * Foundation.exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot()
            }),
            ("gelu_tanh", { $0.gelu(approximation: .tanh) }, { v in
                let k = 0.7978845608028654, u = k * (v + 0.044715 * v * v * v), t = Foundation.tanh(u)
                return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v)
            }),
            ("silu", { $0.silu() }, { Self.sigmoid($0) * (1 + $0 * (1 - Self.sigmoid($0))) }),
        ]
        for (name, op, derivative) in derivatives {
            let p = Parameter(x)
            op(p.value).sum().backward()
            KernelCheck.close(p.grad!, values.map(derivative), absolute: 2e-6, relative: 2e-6, "\(name)'")
        }
    }

    @Test func geluOfExtremeValuesIsFinite() {
        let x = Tensor([-1e30, -100, -10, 10, 100, 1e30], shape: [6])
        for y in [x.gelu(), x.gelu(approximation: .tanh), x.silu(), x.quickGelu()] {
            let v = y.toArray()
            #expect(v.allSatisfy { $0.isFinite }, "\(v)")
            #expect(v[0] == 0 && v[5] == 1e30)
        }
    }

    @Test func noGraphIsRecordedWithoutGradients() {
        let p = Parameter(KernelCheck.uniform([3, 3]))
        #expect(p.value.gelu().requiresGrad)
        #expect(!withNoGrad { p.value.gelu() }.requiresGrad)
        #expect(!KernelCheck.uniform([3, 3]).tanh().requiresGrad)
    }

    /// GELU overwrites a temporary input without a graph (nothing else can see it) and gives
    /// the same values as on a tensor that is still referenced, which is left untouched.
    @Test(arguments: [GeluApproximation.none, .tanh])
    func geluOnATemporaryMatchesAndKeepsOtherReferencesIntact(_ approximation: GeluApproximation) {
        let x = KernelCheck.uniform([300, 130], low: -6, high: 6, seed: 41)
        let before = x.toArray()
        let kept = x.gelu(approximation: approximation)           // x is used again below: copied
        #expect(x.toArray() == before)
        let scratch = x * 1
        let buffer = ObjectIdentifier(scratch.storage)
        let temporary = (consume scratch).gelu(approximation: approximation)  // handed over: in place
        #expect(ObjectIdentifier(temporary.storage) == buffer)
        #expect(temporary.toArray() == kept.toArray())
        #expect(x.toArray() == before)
        let p = Parameter(x)
        let graph = (p.value * 1).gelu(approximation: approximation)  // recorded: not in place
        #expect(graph.requiresGrad)
        #expect(graph.toArray() == kept.toArray())
    }
}
