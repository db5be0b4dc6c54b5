import Testing
import TensorCore

/// embedding, indexSelect, placeRows, gather, concat / stack / split, where, maskedFill.
@Suite struct IndexingOpTests {
    /// placeRows puts row j at row indices[j], zeros elsewhere; indexSelect with the same indices
    /// undoes it; the gradient is the gathered rows (finite differences agree).
    @Test func placeRowsInvertsIndexSelect() {
        let x = KernelCheck.uniform([3, 4])
        let rows = IntTensor([4, 0, 2], shape: [3])
        let placed = x.placeRows(at: rows, rows: 6)
        #expect(placed.shape == [6, 4])
        let v = placed.toArray(), xv = x.toArray()
        for (j, r) in rows.values.enumerated() { #expect(Array(v[(r * 4)..<(r * 4 + 4)]) == Array(xv[(j * 4)..<(j * 4 + 4)])) }
        for r in [1, 3, 5] { #expect(v[(r * 4)..<(r * 4 + 4)].allSatisfy { $0 == 0 }) }
        #expect(placed.indexSelect(axis: 0, indices: rows).toArray() == xv)
        KernelCheck.gradient("placeRows", inputs: [KernelCheck.uniform([3, 2, 2])]) { $0[0].placeRows(at: rows, rows: 5) }
        KernelCheck.gradient("placeRows of a transposed input", inputs: [KernelCheck.transposedInput([3, 4])]) {
            $0[0].placeRows(at: rows, rows: 7)
        }
    }

    @Test func embeddingLooksUpRowsAndScatterAddsGradients() {
        let table = KernelCheck.uniform([6, 3])
        let values = table.toArray()
        let ids = IntTensor([2, 0, 2, 5, 1, 0], shape: [2, 3])
        let weight = Parameter(table)
        let out = embedding(weight: weight.value, indices: ids, paddingIndex: 0)
        #expect(out.shape == [2, 3, 3])
        let expected = ids.values.flatMap { id in (0..<3).map { Double(values[id * 3 + $0]) } }
        KernelCheck.close(out, expected, absolute: 0, relative: 0, "lookup (padding rows keep their value)")
        let g = KernelCheck.uniform([2, 3, 3], seed: 99)
        out.backward(gradient: g)
        let gv = g.toArray()
        var dw = [Double](repeating: 0, count: 18)
        for (position, id) in ids.values.enumerated() where id != 0 {
            for c in 0..<3 { dw[id * 3 + c] += Double(gv[position * 3 + c]) }
        }
        KernelCheck.close(weight.grad!, dw, absolute: 1e-6, relative: 1e-6, "scatter-add")
        #expect(weight.grad!.toArray()[0..<3].allSatisfy { $0 == 0 }, "padding row must get no gradient")
        #expect(weight.grad!.toArray()[6..<9].contains { $0 != 0 }, "repeated id 2 gets a gradient")
    }

    @Test func embeddingGradientCheckAndLargeTable() {
        let ids = IntTensor([1, 3, 3, 0, 4], shape: [5])
        // (No padding index here: its row is read by the forward but deliberately gets no
        // gradient, which finite differences would flag; embeddingLooksUpRows... covers it.)
        KernelCheck.gradient("embedding", inputs: [KernelCheck.uniform([5, 4])]) {
            embedding(weight: $0[0], indices: ids)
        }
        KernelCheck.gradient("embedding transposed table", inputs: [KernelCheck.transposedInput([5, 4])]) {
            embedding(weight: $0[0], indices: ids)
        }
        // Many lookups into a wide table (multi-core copy and scatter).
        var rng = RandomGenerator(seed: 8)
        let many = IntTensor((0..<2048).map { _ in rng.nextInt(below: 100) }, shape: [16, 128])
        let weight = Parameter(KernelCheck.uniform([100, 64]))
        embedding(weight: weight.value, indices: many, paddingIndex: 7).sum().backward()
        var counts = [Double](repeating: 0, count: 100)
        for id in many.values where id != 7 { counts[id] += 1 }
        KernelCheck.close(weight.grad!, counts.flatMap { [Double](repeating: $0, count: 64) }, absolute: 0, relative: 0, "counts")
    }

    @Test func indexSelectAlongEachAxis() {
        let x = KernelCheck.uniform([3, 4, 5])
        let v = x.toArray()
        let idx = IntTensor([3, 0, 3], shape: [3])
        let y = x.indexSelect(axis: 1, indices: idx)
        #expect(y.shape == [3, 3, 5])
        var expected = [Double]()
        for a in 0..<3 { for j in idx.values { for c in 0..<5 { expected.append(Double(v[(a * 4 + j) * 5 + c])) } } }
        KernelCheck.close(y, expected, absolute: 0, relative: 0, "axis 1")
        for axis in [0, 1, 2] {
            KernelCheck.gradient("indexSelect axis \(axis)", inputs: [KernelCheck.uniform([3, 3, 3])]) {
                $0[0].indexSelect(axis: axis, indices: IntTensor([2, 0, 2, 1], shape: [4]))
            }
        }
        KernelCheck.gradient("indexSelect transposed", inputs: [KernelCheck.transposedInput([4, 3])]) {
            $0[0].indexSelect(axis: -1, indices: IntTensor([1, 1], shape: [2]))
        }
    }

    @Test func gatherLikeTorch() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let picked = x.gather(axis: 1, indices: IntTensor([2, 0, 1, 1], shape: [2, 2]))
        #expect(picked.toArray() == [3, 1, 5, 5])
        let rows = x.gather(axis: 0, indices: IntTensor([1, 0, 1], shape: [1, 3]))
        #expect(rows.toArray() == [4, 2, 6])
        let t = x.transposed(0, 1)  // [3, 2] view: [[1, 4], [2, 5], [3, 6]]
        #expect(t.gather(axis: 1, indices: IntTensor([1, 0, 0], shape: [3, 1])).toArray() == [4, 2, 3])
        KernelCheck.gradient("gather axis 1", inputs: [KernelCheck.uniform([3, 4])]) {
            $0[0].gather(axis: 1, indices: IntTensor([3, 3, 0, 1, 2, 2], shape: [3, 2]))
        }
        KernelCheck.gradient("gather axis 0 transposed", inputs: [KernelCheck.transposedInput([3, 4])]) {
            $0[0].gather(axis: 0, indices: IntTensor([2, 0, 1, 1, 0, 0, 2, 2], shape: [2, 4]))
        }
    }

    @Test func concatStackSplit() {
        let a = KernelCheck.uniform([2, 3], seed: 1), b = KernelCheck.uniform([2, 1], seed: 2)
        let ab = Tensor.concat([a, b], axis: 1)
        #expect(ab.shape == [2, 4])
        let av = a.toArray(), bv = b.toArray()
        #expect(ab.toArray() == [av[0], av[1], av[2], bv[0], av[3], av[4], av[5], bv[1]])
        let parts = ab.split(sizes: [3, 1], axis: 1)
        #expect(parts[0].toArray() == av && parts[1].toArray() == bv)
        let s = Tensor.stack([a, a * 2], axis: 1)
        #expect(s.shape == [2, 2, 3])
        let doubled: [Float] = av.map { $0 * 2 }
        var stacked: [Float] = Array(av[0..<3])
        stacked += doubled[0..<3]
        stacked += av[3..<6]
        stacked += doubled[3..<6]
        #expect(s.toArray() == stacked)
        #expect(Tensor.stack([a, a], axis: -1).shape == [2, 3, 2])

        KernelCheck.gradient("concat axis 0 (one transposed)", inputs: [KernelCheck.uniform([2, 3]), KernelCheck.transposedInput([2, 3])]) {
            Tensor.concat([$0[0], $0[1]], axis: 0)
        }
        KernelCheck.gradient("concat axis 1 with broadcast", inputs: [KernelCheck.uniform([1, 2]), KernelCheck.uniform([3, 3])]) {
            Tensor.concat([$0[0].expand(to: [3, 2]), $0[1]], axis: 1)
        }
        KernelCheck.gradient("stack", inputs: [KernelCheck.uniform([2, 3]), KernelCheck.slicedInput([2, 3])]) {
            Tensor.stack([$0[0], $0[1]], axis: 1)
        }
        KernelCheck.gradient("split", inputs: [KernelCheck.uniform([3, 5])]) {
            let p = $0[0].split(sizes: [2, 0, 3], axis: -1)
            return p[0] * 2 + p[2].narrow(axis: 1, start: 0, length: 2) * p[2].narrow(axis: 1, start: 1, length: 2)
        }
    }

    @Test func whereAndMaskedFill() {
        let c = Tensor([1, 0, 0, 1, 1, 0], shape: [2, 3])
        let a = KernelCheck.uniform([2, 3], seed: 1), b = KernelCheck.uniform([1, 3], seed: 2)
        let w = Tensor.where(condition: c, a, b)
        let av = a.toArray(), bv = b.toArray(), cv = c.toArray()
        let selected: [Float] = (0..<6).map { i in cv[i] != 0 ? av[i] : bv[i % 3] }
        #expect(w.toArray() == selected)
        KernelCheck.gradient("where with broadcast b", inputs: [a, b]) { Tensor.where(condition: c, $0[0], $0[1]) }
        KernelCheck.gradient("where with broadcast condition", inputs: [KernelCheck.transposedInput([2, 3]), a]) {
            Tensor.where(condition: Tensor([0, 1, 1], shape: [3]), $0[0], $0[1])
        }

        let x = KernelCheck.uniform([2, 3])
        let mask = Tensor([0, 1, 0], shape: [1, 3])
        let filled = x.maskedFill(mask: mask, value: -1e9).toArray()
        let xv = x.toArray()
        let expectedFill: [Float] = (0..<6).map { i in i % 3 == 1 ? -1e9 : xv[i] }
        #expect(filled == expectedFill)
        let p = Parameter(x)
        p.value.maskedFill(mask: mask, value: 0).sum().backward()
        #expect(p.grad!.toArray() == [1, 0, 1, 1, 0, 1])
        KernelCheck.gradient("maskedFill transposed", inputs: [KernelCheck.transposedInput([2, 3])]) {
            $0[0].maskedFill(mask: mask, value: 5)
        }
    }

    /// A table used by an embedding and by other ops (tied decoder, broadcast sum, scaled
    /// copy): the embedding backward adds its rows into the gradient already pending for the
    /// table (or a private copy of it when that buffer is shared or strided). Every order
    /// gives the gradient of the same computation with a one-hot matmul instead of the lookup.
    @Test func embeddingAddsIntoAPendingTableGradient() {
        var rng = RandomGenerator(seed: 4)
        let table = Tensor.normal([11, 6], mean: 0, std: 1, generator: &rng)
        let x = Tensor.normal([5, 6], mean: 0, std: 1, generator: &rng)
        let ids = [3, 0, 3, 10, 7, 3]
        let oneHot = Tensor(ids.flatMap { id in (0..<11).map { Float($0 == id ? 1 : 0) } }, shape: [6, 11])
        let others: [(String, (Tensor) -> Tensor)] = [
            ("tied decoder", { w in x.matmul(w.transposed()).square().sum() }),   // dense pending gradient
            ("broadcast sum", { w in w.sum() * 3 }),                              // stride-0 pending gradient
            ("decoder and sum", { w in x.matmul(w.transposed()).sum() + w.sum() }),
        ]
        for (name, other) in others {
            for embeddingFirst in [true, false] {
                let p = Parameter(table), q = Parameter(table)
                let lookup = { (w: Tensor) in (embedding(weight: w, indices: IntTensor(ids, shape: [2, 3]), paddingIndex: 7) * 2).square().sum() }
                let (a, b) = (lookup(p.value), other(p.value))
                (embeddingFirst ? a + b : b + a).backward()
                let rows = oneHot.matmul(q.value) * Tensor(ids.map { $0 == 7 ? 0 : 1 }, shape: [6, 1])
                    + oneHot.matmul(q.value.detached()) * Tensor(ids.map { $0 == 7 ? 1 : 0 }, shape: [6, 1])
                let c = (rows * 2).square().sum(), d = other(q.value)
                (embeddingFirst ? c + d : d + c).backward()
                KernelCheck.close(p.grad!, q.grad!.toArray().map(Double.init), absolute: 1e-5, relative: 1e-5,
                                  "\(name), embedding first \(embeddingFirst)")
            }
        }
    }
}
