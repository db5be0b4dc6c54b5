import Foundation
import Testing
import TensorCore

@Suite struct ArithmeticTests {
    static let shapePairs: [([Int], [Int])] = [
        ([2, 3], [2, 3]), ([2, 3], [3]), ([4, 1, 3], [2, 1]), ([1], [2, 2]), ([], [3, 2]), ([2, 1, 4], [1, 3, 1]),
    ]

    /// Expected a ∘ b broadcast elementwise, computed in Float64 from the arrays.
    func reference(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> ([Int], [Double]) {
        let shape = Tensor.broadcastShapes(a.shape, b.shape, op: "test")
        let av = a.toArray(), bv = b.toArray()
        let n = shape.reduce(1, *)
        let values = (0..<n).map { i -> Double in
            let idx = multiIndex(i, shape: shape)
            return f(broadcastRead(av, shape: a.shape, at: idx), broadcastRead(bv, shape: b.shape, at: idx))
        }
        return (shape, values)
    }

    @Test(arguments: 0..<6)
    func broadcastingForward(pair: Int) {
        let (sa, sb) = Self.shapePairs[pair]
        var rng = RandomGenerator(seed: UInt64(pair))
        let a = Tensor.normal(sa, generator: &rng)
        let b = Tensor.uniform(sb, low: 0.5, high: 2, generator: &rng)
        for (op, f) in [("+", { (x: Double, y: Double) in x + y }), ("-", { $0 - $1 }), ("*", { $0 * $1 }), ("/", { $0 / $1 })] {
            let out: Tensor
            switch op {
            case "+": out = a + b
            case "-": out = a - b
            case "*": out = a * b
            default: out = a / b
            }
            let (shape, expected) = reference(a, b, f)
            expectClose(out, expected, shape: shape, tolerance: 1e-6, "op \(op) shapes \(sa) \(sb)")
        }
    }

    @Test func broadcastShapes() {
        #expect(Tensor.broadcastShapes([8, 1, 6, 1], [7, 1, 5], op: "t") == [8, 7, 6, 5])
        #expect(Tensor.broadcastShapes([], [3], op: "t") == [3])
        #expect(Tensor.broadcastShapes([5, 4], [1], op: "t") == [5, 4])
        #expect(Tensor.broadcastShapes([15, 3, 5], [15, 1, 5], op: "t") == [15, 3, 5])
    }

    @Test func scalarForms() {
        let x = Tensor([1, -2, 4], shape: [3])
        #expect((x + 1).toArray() == [2, -1, 5])
        #expect((1 + x).toArray() == [2, -1, 5])
        #expect((x - 1).toArray() == [0, -3, 3])
        #expect((1 - x).toArray() == [0, 3, -3])
        #expect((x * 2).toArray() == [2, -4, 8])
        #expect((2 * x).toArray() == [2, -4, 8])
        #expect((x / 2).toArray() == [0.5, -1, 2])
        #expect((4 / x).toArray() == [4, -2, 1])
        #expect((-x).toArray() == [-1, 2, -4])
    }

    @Test func largeContiguousWorkSplitsAcrossCoresCorrectly() {
        // Above the parallel threshold (2 × 64K): compare against a serial reference.
        var rng = RandomGenerator(seed: 9)
        let a = Tensor.normal([300, 1000], generator: &rng)
        let b = Tensor.normal([1000], generator: &rng)
        let (shape, expected) = reference(a, b) { $0 * $1 }
        expectClose(a * b, expected, shape: shape, tolerance: 1e-6)
        let t = a.transposed()  // strided, also large
        let (shape2, expected2) = reference(t.contiguous(), Tensor(2)) { $0 - $1 }
        expectClose(t - 2, expected2, shape: shape2, tolerance: 1e-6)
    }

    @Test(arguments: 0..<6)
    func broadcastGradients(pair: Int) {
        let (sa, sb) = Self.shapePairs[pair]
        var rng = RandomGenerator(seed: UInt64(100 + pair))
        let a = Tensor.normal(sa, generator: &rng)
        let b = Tensor.uniform(sb, low: 0.5, high: 2, generator: &rng)
        expectGradient({ $0[0] + $0[1] }, [a, b])
        expectGradient({ $0[0] - $0[1] }, [a, b])
        expectGradient({ $0[0] * $0[1] }, [a, b])
        expectGradient({ $0[0] / $0[1] }, [a, b])
    }

    @Test func nonContiguousGradients() {
        var rng = RandomGenerator(seed: 7)
        let a = Tensor.normal([4, 3], generator: &rng).transposed()               // [3, 4] strided
        let b = Tensor.uniform([3, 6], low: 1, high: 2, generator: &rng).narrow(axis: 1, start: 1, length: 4)  // sliced
        expectGradient({ $0[0] * $0[1] + $0[0] }, [a, b])
        expectGradient({ $0[0] / $0[1] - $0[1] }, [a, b])
        expectGradient({ -$0[0] }, [a])
        expectGradient({ ($0[0] + 2) * 3 - (1 - $0[0]) }, [a])
        expectGradient({ 2 / $0[0] + $0[0] / 4 }, [b])
    }
}
