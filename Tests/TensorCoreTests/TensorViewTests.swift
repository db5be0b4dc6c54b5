import Testing
import TensorCore

@Suite struct TensorViewTests {
    @Test func reshapeOfContiguousSharesStorage() {
        let a = Tensor.arange(12).reshape([3, 4])
        let b = a.reshape([2, 6])
        #expect(a.storage === b.storage)
        #expect(b.shape == [2, 6] && b.strides == [6, 1])
        #expect(b.toArray() == (0..<12).map(Float.init))
    }

    @Test func transposeIsAStridedView() {
        let a = Tensor.arange(6).reshape([2, 3])
        let t = a.transposed()
        #expect(t.storage === a.storage)
        #expect(t.shape == [3, 2] && t.strides == [1, 3] && !t.isContiguous)
        // t[i, j] = a[j, i] = 3j + i
        #expect(t.toArray() == [0, 3, 1, 4, 2, 5])
        let c = t.contiguous()
        #expect(c.isContiguous && c.storage !== a.storage)
        #expect(c.toArray() == [0, 3, 1, 4, 2, 5])
        // reshape of a non-contiguous tensor copies
        let r = t.reshape([6])
        #expect(r.storage !== a.storage && r.toArray() == [0, 3, 1, 4, 2, 5])
    }

    @Test func permuteNarrowExpandSqueeze() {
        let a = Tensor.arange(24).reshape([2, 3, 4])
        let p = a.permute([2, 0, 1])
        #expect(p.shape == [4, 2, 3] && p.strides == [1, 12, 4])
        #expect(p[3, 1, 2] == a[1, 2, 3])
        let n = a.narrow(axis: 1, start: 1, length: 2)
        #expect(n.shape == [2, 2, 4] && n.offset == 4 && n.storage === a.storage)
        #expect(n.toArray() == [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23])
        let e = Tensor([1, 2, 3], shape: [3, 1]).expand(to: [2, 3, 4])
        #expect(e.strides == [0, 1, 0])
        #expect(e.toArray() == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        let u = a.unsqueeze(axis: 1)
        #expect(u.shape == [2, 1, 3, 4] && u.squeeze(axis: 1).shape == [2, 3, 4])
        #expect(Tensor.zeros([1, 3, 1]).squeeze().shape == [3])
        #expect(a.flatten(startAxis: 1).shape == [2, 12])
    }

    @Test func copyOnWriteKeepsViewsIndependent() {
        let a = Tensor.arange(4)
        var b = a
        b[1] = 100
        #expect(a.toArray() == [0, 1, 2, 3])
        #expect(b.toArray() == [0, 100, 2, 3])
        var c = Tensor.arange(6).reshape([2, 3]).transposed()
        c.withUnsafeMutableBufferPointer { $0[0] = -1 }
        #expect(c.isContiguous && c.toArray() == [-1, 3, 1, 4, 2, 5])
    }

    @Test func creationAndDescription() {
        #expect(Tensor.full([2, 2], value: 3).toArray() == [3, 3, 3, 3])
        #expect(Tensor.arange(1, 2, step: 0.25).toArray() == [1, 1.25, 1.5, 1.75])
        #expect(Tensor(5).rank == 0 && Tensor(5).item == 5)
        let text = "\(Tensor.arange(20).reshape([4, 5]))"
        #expect(text.hasPrefix("Tensor([4, 5]) [0.0, 1.0"))
        #expect(text.contains("20 elements"))
    }
}
