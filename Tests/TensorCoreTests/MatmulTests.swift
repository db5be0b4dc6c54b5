import Testing
import TensorCore

@Suite struct MatmulTests {
    /// A [rows, cols] matrix of random values, either contiguous or as the transpose of a
    /// contiguous [cols, rows] tensor, or a column slice of a wider one (ld > cols).
    static func matrix(_ rows: Int, _ cols: Int, layout: Int, rng: inout RandomGenerator) -> Tensor {
        switch layout {
        case 0: return Tensor.normal([rows, cols], generator: &rng)
        case 1: return Tensor.normal([cols, rows], generator: &rng).transposed()
        case 2: return Tensor.normal([rows, cols + 3], generator: &rng).narrow(axis: 1, start: 2, length: cols)
        default: // every other element: not BLAS compatible, must be copied
            return Tensor.normal([rows, cols * 2], generator: &rng).reshape([rows, cols, 2]).narrow(axis: 2, start: 0, length: 1).squeeze(axis: 2)
        }
    }

    @Test(arguments: [0, 1, 2, 3], [0, 1, 2, 3])
    func twoDimensionalLayouts(aLayout: Int, bLayout: Int) {
        var rng = RandomGenerator(seed: UInt64(10 * aLayout + bLayout))
        let (m, k, n) = (5, 7, 4)
        let a = Self.matrix(m, k, layout: aLayout, rng: &rng)
        let b = Self.matrix(k, n, layout: bLayout, rng: &rng)
        let c = a.matmul(b)
        expectClose(c, naiveMatmul(a.toArray(), b.toArray(), m: m, k: k, n: n), shape: [m, n])
    }

    @Test func batchedWithBroadcastAndFolding() {
        var rng = RandomGenerator(seed: 3)
        // [2, 3, 4, 5] × [5, 6]: folds into one gemm
        let a = Tensor.normal([2, 3, 4, 5], generator: &rng)
        let w = Tensor.normal([6, 5], generator: &rng)
        let c = a.matmul(w.transposed())
        let av = a.toArray(), wt = w.transposed().toArray()
        var expected: [Double] = []
        for bIdx in 0..<6 {
            expected += naiveMatmul(Array(av[(bIdx * 20)..<(bIdx * 20 + 20)]), wt, m: 4, k: 5, n: 6)
        }
        expectClose(c, expected, shape: [2, 3, 4, 6])

        // [2, 1, 3, 4] × [5, 4, 2]: batch broadcast to [2, 5]
        let x = Tensor.normal([2, 1, 3, 4], generator: &rng)
        let y = Tensor.normal([5, 4, 2], generator: &rng)
        let z = x.matmul(y)
        #expect(z.shape == [2, 5, 3, 2])
        let xv = x.toArray(), yv = y.toArray()
        var expected2: [Double] = []
        for i in 0..<2 { for j in 0..<5 {
            expected2 += naiveMatmul(Array(xv[(i * 12)..<(i * 12 + 12)]), Array(yv[(j * 8)..<(j * 8 + 8)]), m: 3, k: 4, n: 2)
        } }
        expectClose(z, expected2)

        // Permuted batched operands (attention-style [B, H, T, D] views)
        let q = Tensor.normal([2, 4, 3, 5], generator: &rng).permute([0, 2, 1, 3])  // [2, 3, 4, 5]
        let kT = Tensor.normal([2, 3, 4, 5], generator: &rng).transposed()            // [2, 3, 5, 4]
        let s = q.matmul(kT)
        let qv = q.contiguous().toArray(), kv = kT.contiguous().toArray()
        var expected3: [Double] = []
        for bIdx in 0..<6 {
            expected3 += naiveMatmul(Array(qv[(bIdx * 20)..<(bIdx * 20 + 20)]), Array(kv[(bIdx * 20)..<(bIdx * 20 + 20)]), m: 4, k: 5, n: 4)
        }
        expectClose(s, expected3, shape: [2, 3, 4, 4])
    }

    @Test func vectorOperands() {
        let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let v = Tensor([1, 0, -1], shape: [3])
        expectClose(a.matmul(v), [-2, -2], shape: [2])
        expectClose(Tensor([1, 1], shape: [2]).matmul(a), [5, 7, 9], shape: [3])
    }
}

@Suite struct MatmulRandomLayoutTests {
    /// A tensor of `shape` with a random layout: a permuted view of a contiguous buffer, maybe
    /// sliced, maybe with a broadcast (stride-0) dimension.
    static func randomLayout(_ shape: [Int], rng: inout RandomGenerator) -> Tensor {
        var order = Array(0..<shape.count)
        rng.shuffle(&order)
        var stored = order.map { shape[$0] }
        let sliced = rng.nextInt(below: 2) == 0
        if sliced { stored[stored.count - 1] += 2 }
        var t = Tensor.normal(stored, generator: &rng)
        if sliced { t = t.narrow(axis: -1, start: 1, length: stored[stored.count - 1] - 2) }
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, a) in order.enumerated() { inverse[a] = i }
        t = t.permute(inverse)
        if let axis = shape.indices.first(where: { shape[$0] > 1 }), rng.nextInt(below: 4) == 0 {
            t = t.narrow(axis: axis, start: 0, length: 1).expand(to: shape)   // stride 0
        }
        return t
    }

    @Test(arguments: 0..<40)
    func randomBatchedLayoutsMatchNaive(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(1000 + seed))
        let m = 1 + rng.nextInt(below: 4), k = 1 + rng.nextInt(below: 4), n = 1 + rng.nextInt(below: 4)
        let batch = [1 + rng.nextInt(below: 3), 1 + rng.nextInt(below: 3)]
        let aBatch = batch.map { rng.nextInt(below: 3) == 0 ? 1 : $0 }
        let bBatch = Array(batch.map { rng.nextInt(below: 3) == 0 ? 1 : $0 }.suffix(rng.nextInt(below: 3)))
        let a = Self.randomLayout(aBatch + [m, k], rng: &rng)
        let b = Self.randomLayout(bBatch + [k, n], rng: &rng)
        let c = a.matmul(b)
        let outBatch = Tensor.broadcastShapes(aBatch, bBatch, op: "test")
        #expect(c.shape == outBatch + [m, n])
        let av = a.toArray(), bv = b.toArray()
        var expected: [Double] = []
        for flat in 0..<outBatch.reduce(1, *) {
            let idx = multiIndex(flat, shape: outBatch)
            var aOff = 0, bOff = 0
            for d in 0..<aBatch.count { aOff = aOff * aBatch[d] + (aBatch[d] == 1 ? 0 : idx[d]) }
            let lead = outBatch.count - bBatch.count
            for d in 0..<bBatch.count { bOff = bOff * bBatch[d] + (bBatch[d] == 1 ? 0 : idx[lead + d]) }
            expected += naiveMatmul(Array(av[(aOff * m * k)..<((aOff + 1) * m * k)]),
                                    Array(bv[(bOff * k * n)..<((bOff + 1) * k * n)]), m: m, k: k, n: n)
        }
        expectClose(c, expected, tolerance: 1e-5, "a \(a.shape) strides \(a.strides), b \(b.shape) strides \(b.strides)")
        if seed % 4 == 0 {
            expectGradient({ $0[0].matmul($0[1]) }, [a, b])
        }
    }
}
