import Foundation
import Testing
import TensorCore

@Suite struct ReductionTests {
    /// Float64 reduction of `x` (row-major values, `shape`) over `axes`, keep-dim layout.
    func reference(_ values: [Float], shape: [Int], axes: Set<Int>, initial: Double,
                   _ combine: (Double, Double) -> Double) -> ([Int], [Double]) {
        var outShape = shape
        for a in axes { outShape[a] = 1 }
        var out = [Double](repeating: initial, count: outShape.reduce(1, *))
        for i in 0..<values.count {
            var idx = multiIndex(i, shape: shape)
            for a in axes { idx[a] = 0 }
            var flat = 0
            for d in 0..<shape.count { flat = flat * outShape[d] + idx[d] }
            out[flat] = combine(out[flat], Double(values[i]))
        }
        return (outShape, out)
    }

    static let cases: [[Int]] = [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2], [-1]]

    @Test(arguments: cases)
    func sumMeanMaxMinForward(axes: [Int]) {
        var rng = RandomGenerator(seed: 5)
        let base = Tensor.normal([3, 4, 5], generator: &rng)
        for x in [base, base.permute([2, 0, 1]).contiguous().permute([1, 2, 0])] {  // contiguous and strided
            let set = Set(axes.map { $0 < 0 ? $0 + 3 : $0 })
            let values = x.toArray()
            let (keptShape, sums) = reference(values, shape: x.shape, axes: set, initial: 0, +)
            let n = Double(set.reduce(1) { $0 * x.shape[$1] })
            expectClose(x.sum(axes: axes, keepDim: true), sums, shape: keptShape, tolerance: 1e-6)
            expectClose(x.sum(axes: axes), sums, tolerance: 1e-6)
            #expect(x.sum(axes: axes).shape == x.shape.indices.filter { !set.contains($0) }.map { x.shape[$0] })
            expectClose(x.mean(axes: axes, keepDim: true), sums.map { $0 / n }, tolerance: 1e-6)
            let (_, maxima) = reference(values, shape: x.shape, axes: set, initial: -.infinity) { Swift.max($0, $1) }
            expectClose(x.max(axes: axes, keepDim: true), maxima, shape: keptShape, tolerance: 0)
            let (_, minima) = reference(values, shape: x.shape, axes: set, initial: .infinity) { Swift.min($0, $1) }
            expectClose(x.min(axes: axes, keepDim: true), minima, shape: keptShape, tolerance: 0)
            let (_, squares) = reference(values, shape: x.shape, axes: set, initial: 0) { $0 + $1 * $1 }
            // Var = (Σx² − (Σx)²/n) / (n − 1), from the Float64 sums
            let unbiased = zip(squares, sums).map { ($0 - $1 * $1 / n) / (n - 1) }
            expectClose(x.variance(axes: axes, keepDim: true), unbiased, shape: keptShape, tolerance: 1e-5)
            expectClose(x.variance(axes: axes, unbiased: false), unbiased.map { $0 * (n - 1) / n }, tolerance: 1e-5)
        }
    }

    @Test func fullReductionsAndLongSums() {
        let x = Tensor.arange(100_000)
        #expect(x.sum().shape == [])
        // Σ 0..<n = n(n−1)/2: the double accumulator gives the Float32 rounding of the exact sum.
        #expect(x.sum().item == Float(99_999.0 * 100_000.0 / 2))
        #expect(x.max().item == 99_999 && x.min().item == 0)
        #expect(Swift.abs(Double(x.mean().item) - 99_999.0 / 2) / (99_999.0 / 2) < 2e-7)
    }

    @Test func argmax() {
        let x = Tensor([1, 5, 5, 2,
                        7, 0, -1, 7,
                        -3, -2, -9, -2], shape: [3, 4])
        #expect(x.argmax(axis: 1) == IntTensor([1, 0, 1], shape: [3]))  // first of ties
        #expect(x.argmax(axis: 0) == IntTensor([1, 0, 0, 1], shape: [4]))
        #expect(x.argmax(axis: -1, keepDim: true).shape == [3, 1])
        #expect(x.transposed().argmax(axis: 0) == IntTensor([1, 0, 1], shape: [3]))
        #expect(Tensor([1, .nan, 3], shape: [3]).argmax(axis: 0).values == [1])
    }

    @Test func gradients() {
        var rng = RandomGenerator(seed: 11)
        let x = Tensor.normal([3, 4, 5], generator: &rng)
        let xt = Tensor.normal([5, 4], generator: &rng).transposed()   // [4, 5] strided
        for axes in [[0], [2], [0, 2], [0, 1, 2]] {
            expectGradient({ $0[0].sum(axes: axes) }, [x])
            expectGradient({ $0[0].mean(axes: axes, keepDim: true) }, [x])
            expectGradient({ $0[0].variance(axes: axes) }, [x])
        }
        expectGradient({ $0[0].sum(axes: [1]) }, [xt])
        expectGradient({ $0[0].variance(axes: [0], unbiased: false) }, [xt])
        expectGradient({ $0[0].sumToShape([1, 5]) }, [xt])
        expectGradient({ $0[0].sumToShape([5]) }, [xt])

        // max / min: well separated values so ±epsilon never changes the winner
        var order = Array(0..<60)
        rng.shuffle(&order)
        let spaced = Tensor(order.map { Float($0) * 0.1 }, shape: [3, 4, 5])
        for axes in [[0], [2], [1, 2]] {
            expectGradient({ $0[0].max(axes: axes) }, [spaced])
            expectGradient({ $0[0].min(axes: axes, keepDim: true) }, [spaced])
        }
        expectGradient({ $0[0].permute([2, 0, 1]).max(axes: [0]) }, [spaced])
    }

    @Test func maxGradientSplitsBetweenTies() {
        let p = Parameter(Tensor([1, 3, 3, 2], shape: [4]))
        p.value.max().backward()
        #expect(p.grad?.toArray() == [0, 0.5, 0.5, 0])
    }
}
