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

@Suite struct MatmulLayoutTraceTests {
    @Test func transposedWeightAndFoldedBatchRunAsSingleGemmsWithoutCopies() {
        var rng = RandomGenerator(seed: 12)
        let x = Parameter(Tensor.normal([2, 3, 4], generator: &rng))
        let w = Parameter(Tensor.normal([5, 4], generator: &rng))
        let (y, forward) = withMatmulTrace { x.value.matmul(w.value.transposed()) }
        #expect(forward == MatmulTrace(gemms: [[6, 5, 4]], operandCopies: 0))
        let (_, backward) = withMatmulTrace { y.backward(gradient: Tensor.ones(y.shape)) }
        // dX = G·W as one [6, 5]·[5, 4] gemm; dW = Gᵀ·X as one gemm with the batch folded into k
        #expect(backward.operandCopies == 0)
        #expect(backward.gemms.count == 2)
        #expect(Set(backward.gemms.map { $0[2] }) == [5, 6])
        #expect(w.grad!.isContiguous)

        let (_, linear) = withMatmulTrace {
            Tensor.linear(x.value, weight: w.value, bias: nil).backward(gradient: Tensor.ones([2, 3, 5]))
        }
        #expect(linear.gemms.count == 3 && linear.operandCopies == 0)
        // A stride-0 (expanded) upstream gradient is not BLAS-readable: one copy, seen by the trace.
        let (_, expanded) = withMatmulTrace { x.value.matmul(w.value.transposed()).sum().backward() }
        #expect(expanded.operandCopies >= 1)
    }

    @Test func attentionViewsAreNotCopied() {
        var rng = RandomGenerator(seed: 13)
        let qkv = Tensor.normal([2, 5, 3, 4], generator: &rng)        // [B, T, H, D]
        let q = qkv.permute([0, 2, 1, 3])                               // [B, H, T, D] view
        let (_, trace) = withMatmulTrace { q.matmul(q.transposed()) }  // [B, H, T, T]
        #expect(trace.operandCopies == 0 && trace.gemmCalls == 6)
        let everyOther = Tensor.normal([4, 8], generator: &rng).reshape([4, 4, 2]).narrow(axis: 2, start: 0, length: 1).squeeze(axis: 2)
        let (_, copied) = withMatmulTrace { everyOther.matmul(Tensor.ones([4, 2])) }
        #expect(copied.operandCopies == 1)
    }
}
