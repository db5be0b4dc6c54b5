import Foundation
import Testing
import TensorCore

@Suite struct UnaryMathTests {
    static func sample(_ shape: [Int], low: Float, high: Float, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor.uniform(shape, low: low, high: high, generator: &rng)
    }

    @Test func forwardAgainstLibm() {
        let x = Self.sample([1000], low: -20, high: 20, seed: 1)
        let xs = x.toArray().map(Double.init)
        expectClose(x.exp(), xs.map { Foundation.exp($0) }, tolerance: 4e-7)
        let p = Self.sample([1000], low: 1e-4, high: 1e4, seed: 2)
        let ps = p.toArray().map(Double.init)
        // log: compare with an absolute-plus-relative tolerance scaled by 1 + |log x|
        expectClose(p.log(), ps.map { Foundation.log($0) }, tolerance: 3e-7)
        expectClose(p.sqrt(), ps.map { $0.squareRoot() }, tolerance: 1e-7)
        expectClose(p.rsqrt(), ps.map { 1 / $0.squareRoot() }, tolerance: 2e-7)
        expectClose(x.abs(), xs.map { Swift.abs($0) }, tolerance: 0)
        expectClose(x.relu(), xs.map { Swift.max($0, 0) }, tolerance: 0)
        expectClose(x.pow(2), xs.map { $0 * $0 }, tolerance: 1e-7)
        expectClose(p.pow(1.7), ps.map { Foundation.pow($0, 1.7) }, tolerance: 1e-6)
        expectClose(p.pow(-1), ps.map { 1 / $0 }, tolerance: 1e-7)
        expectClose(x.pow(3), xs.map { $0 * $0 * $0 }, tolerance: 1e-6)
    }

    @Test func expAndLogEdgeCases() {
        let e = Tensor([0, -Float.infinity, Float.infinity, 100, -100, 88.7, -87.3], shape: [7]).exp().toArray()
        #expect(e[0] == 1 && e[1] == 0 && e[2] == .infinity && e[3] == .infinity && e[4] == 0)
        #expect(Swift.abs(Double(e[5]) - Foundation.exp(Double(Float(88.7)))) / Foundation.exp(88.7) < 1e-6)
        #expect(Swift.abs(Double(e[6]) - Foundation.exp(Double(Float(-87.3)))) / Foundation.exp(-87.3) < 1e-6)
        #expect(Tensor([Float.nan], shape: [1]).exp().item.isNaN)
        let l = Tensor([0, -1, Float.infinity, 1, Float.leastNormalMagnitude / 1000], shape: [5]).log().toArray()
        #expect(l[0] == -.infinity && l[1].isNaN && l[2] == .infinity && l[3] == 0)
        #expect(Swift.abs(Double(l[4]) - Foundation.log(Double(Float.leastNormalMagnitude / 1000))) < 1e-4)
    }

    @Test func gradients() {
        let x = Self.sample([3, 4], low: -2, high: 2, seed: 3)
        let positive = Self.sample([4, 3], low: 0.5, high: 3, seed: 4).transposed()    // strided
        // away from the kink at 0
        let signed = Tensor(x.toArray().map { $0 >= 0 ? $0 + 0.2 : $0 - 0.2 }, shape: x.shape)
        expectGradient({ $0[0].exp() }, [x])
        expectGradient({ $0[0].log() }, [positive])
        expectGradient({ $0[0].sqrt() }, [positive])
        expectGradient({ $0[0].rsqrt() }, [positive])
        expectGradient({ $0[0].abs() }, [signed])
        expectGradient({ $0[0].relu() }, [signed])
        expectGradient({ $0[0].pow(2) }, [x])
        expectGradient({ $0[0].pow(3) }, [x])
        expectGradient({ $0[0].pow(-1) }, [positive])
        expectGradient({ $0[0].pow(1.7) }, [positive])
        expectGradient({ $0[0].pow(0.5) + $0[0].pow(-0.5) }, [positive])
    }
}
