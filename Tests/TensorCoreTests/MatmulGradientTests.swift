import Testing
import TensorCore

@Suite struct MatmulGradientTests {
    @Test(arguments: [0, 1, 2, 3], [0, 1, 2])
    func twoDimensionalLayouts(aLayout: Int, bLayout: Int) {
        var rng = RandomGenerator(seed: UInt64(7 + 10 * aLayout + bLayout))
        let a = MatmulTests.matrix(3, 4, layout: aLayout, rng: &rng)
        let b = MatmulTests.matrix(4, 2, layout: bLayout, rng: &rng)
        expectGradient({ $0[0].matmul($0[1]) }, [a, b])
    }

    @Test func batchedBroadcastAndFoldedGradients() {
        var rng = RandomGenerator(seed: 8)
        // folded [B, T, K] × [K, N] with the weight given as a transposed view
        let x = Tensor.normal([2, 3, 4], generator: &rng)
        let w = Tensor.normal([5, 4], generator: &rng)
        expectGradient({ $0[0].matmul($0[1].transposed()) }, [x, w])
        // batch broadcast both ways
        expectGradient({ $0[0].matmul($0[1]) }, [Tensor.normal([2, 1, 3, 4], generator: &rng), Tensor.normal([3, 4, 2], generator: &rng)])
        expectGradient({ $0[0].matmul($0[1]) }, [Tensor.normal([3, 4], generator: &rng), Tensor.normal([2, 4, 2], generator: &rng)])
        // attention-style permuted operands
        let q = Tensor.normal([2, 3, 2, 4], generator: &rng).permute([0, 2, 1, 3])   // [2, 2, 3, 4]
        let k = Tensor.normal([2, 3, 2, 4], generator: &rng).permute([0, 2, 3, 1])   // [2, 2, 4, 3]
        expectGradient({ $0[0].matmul($0[1]) }, [q, k])
        // vectors
        expectGradient({ $0[0].matmul($0[1]) }, [Tensor.normal([4], generator: &rng), Tensor.normal([4, 3], generator: &rng)])
        expectGradient({ $0[0].matmul($0[1]) }, [Tensor.normal([2, 4], generator: &rng), Tensor.normal([4], generator: &rng)])
    }

    @Test func linearWeightGradientArrivesContiguous() {
        var rng = RandomGenerator(seed: 9)
        let w = Parameter(Tensor.normal([3, 4], generator: &rng))
        let x = Tensor.normal([2, 5, 4], generator: &rng)
        x.matmul(w.value.transposed()).sum().backward()
        #expect(w.grad!.isContiguous && w.grad!.shape == [3, 4])
        // dW[o, i] = Σ_rows x[r, i]
        let xv = x.toArray()
        let colSums = (0..<4).map { i in (0..<10).reduce(0.0) { $0 + Double(xv[$1 * 4 + i]) } }
        expectClose(w.grad!, (0..<3).flatMap { _ in colSums }, tolerance: 1e-6)
    }
}
