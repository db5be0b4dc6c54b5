import Foundation
import Testing
import TensorCore

/// The fused `scaledDotProductAttention` against the unfused composition it replaces
/// (matmul, scale, additive mask, softmax, dropout, matmul): forward values, gradients of
/// query/key/value, masks of every broadcast shape, strided views, sizes that are not
/// multiples of the kernel tiles (8 × 32), Tq ≠ Tk, dropout with the same seed, and a
/// finite-difference check.
@Suite struct AttentionOpTests {
    struct Case: CustomStringConvertible, Sendable {
        var b, a, tq, tk, d: Int
        var maskShape: [Int]?  // nil: no mask
        var dropout: Float = 0
        var description: String { "B\(b) A\(a) Tq\(tq) Tk\(tk) d\(d) mask \(maskShape.map { "\($0)" } ?? "none") p\(dropout)" }
    }

    static let cases: [Case] = [
        Case(b: 2, a: 3, tq: 7, tk: 7, d: 5, maskShape: [2, 1, 1, 7]),
        Case(b: 2, a: 2, tq: 37, tk: 41, d: 19, maskShape: [2, 1, 37, 41]),  // N and M tails
        Case(b: 1, a: 2, tq: 64, tk: 64, d: 32, maskShape: nil),
        Case(b: 3, a: 2, tq: 9, tk: 70, d: 16, maskShape: [1, 2, 1, 70]),
        Case(b: 2, a: 2, tq: 33, tk: 33, d: 8, maskShape: [2, 1, 1, 33], dropout: 0.3),
    ]

    /// q, k, v as [B, A, T, d] head views of [B, T, A·d] tensors (strided, as in BERT), and a
    /// mask with some fully masked rows/columns (finfo.min, as HF builds it).
    static func inputs(_ c: Case, seed: UInt64) -> (q: Tensor, k: Tensor, v: Tensor, mask: Tensor?) {
        var rng = RandomGenerator(seed: seed)
        func heads(_ t: Int) -> Tensor {
            Tensor.normal([c.b, t, c.a * c.d], mean: 0, std: 1, generator: &rng)
                .reshape([c.b, t, c.a, c.d]).permute([0, 2, 1, 3])
        }
        let q = heads(c.tq), k = heads(c.tk), v = heads(c.tk)
        let mask = c.maskShape.map { shape -> Tensor in
            let n = shape.reduce(1, *)
            let keep = Tensor.uniform([n], low: 0, high: 1, generator: &rng).toArray()
            let values = (0..<n).map { i -> Float in
                // The first element of the mask is always kept, the last always masked; the
                // rest at random (about a quarter masked).
                i == 0 ? 0 : (i == n - 1 || keep[i] < 0.25 ? -Float.greatestFiniteMagnitude : 0)
            }
            return Tensor(values, shape: shape)
        }
        return (q, k, v, mask)
    }

    /// The unfused composition; dropout draws its seed from `generator`.
    static func composed(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor?, dropout: Float,
                         generator: inout RandomGenerator) -> (Tensor, Tensor)
    {
        let scale = 1 / Float(q.shape[3]).squareRoot()
        var scores = q.matmul(k.transposed(2, 3)) * scale
        if let mask { scores = scores + mask }
        let p = scores.softmax(axis: -1)
        let dropped = p.dropout(probability: dropout, generator: &generator)
        return (dropped.matmul(v), p)
    }

    @Test(arguments: cases)
    func matchesTheComposition(_ c: Case) {
        let (q0, k0, v0, mask) = Self.inputs(c, seed: 11)
        var generator = RandomGenerator(seed: 0xA77E)
        var copy = generator
        let seed = copy.next()  // the draw the composition's dropout makes
        let (pq, pk, pv) = (Parameter(q0), Parameter(k0), Parameter(v0))
        let (fused, probabilities) = Tensor.scaledDotProductAttention(
            query: pq.value, key: pk.value, value: pv.value, mask: mask, dropout: c.dropout, seed: seed,
            keepProbabilities: true)
        #expect(fused.shape == [c.b, c.a, c.tq, c.d])
        let (rq, rk, rv) = (Parameter(q0), Parameter(k0), Parameter(v0))
        let (reference, referenceP) = Self.composed(rq.value, rk.value, rv.value, mask: mask, dropout: c.dropout,
                                                     generator: &generator)
        KernelCheck.close(fused, reference.toArray().map(Double.init), shape: reference.shape,
                          absolute: 2e-6, relative: 2e-5, "output \(c)")
        KernelCheck.close(probabilities!, referenceP.toArray().map(Double.init), shape: referenceP.shape,
                          absolute: 1e-7, relative: 2e-5, "probabilities \(c)")
        // Inference path (no gradient, no probabilities kept: output rows normalised instead).
        let inference = withNoGrad {
            Tensor.scaledDotProductAttention(query: q0, key: k0, value: v0, mask: mask, dropout: c.dropout, seed: seed).output
        }
        KernelCheck.close(inference, reference.toArray().map(Double.init), shape: reference.shape,
                          absolute: 2e-6, relative: 2e-5, "inference output \(c)")

        var rng = RandomGenerator(seed: 3)
        let g = Tensor.normal(fused.shape, mean: 0, std: 1, generator: &rng)
        fused.backward(gradient: g)
        reference.backward(gradient: g)
        for (name, got, want) in [("query", pq, rq), ("key", pk, rk), ("value", pv, rv)] {
            KernelCheck.close(got.grad!, want.grad!.toArray().map(Double.init), shape: want.value.shape,
                              absolute: 2e-5, relative: 2e-4, "d\(name) \(c)")
        }
    }

    @Test(arguments: [Float(0), 0.2])
    func packedProjectionsMatchSeparateOnes(dropout: Float) {
        let (b, t, a, d) = (2, 19, 3, 6)
        let h = a * d
        var rng = RandomGenerator(seed: 17)
        let x = Tensor.normal([b, t, 3 * h], mean: 0, std: 1, generator: &rng)
        let mask = Tensor((0..<(b * t)).map { $0 % 7 == 6 ? -Float.greatestFiniteMagnitude : 0 }, shape: [b, 1, 1, t])
        let packed = Parameter(x), separate = Parameter(x)
        let (o1, p1) = Tensor.scaledDotProductAttention(packed: packed.value, heads: a, mask: mask,
                                                        dropout: dropout, seed: 99, keepProbabilities: true)
        #expect(o1.shape == [b, t, h])
        let heads = { (i: Int) in
            separate.value.narrow(axis: 2, start: i * h, length: h).reshape([b, t, a, d]).permute([0, 2, 1, 3])
        }
        let (o2, p2) = Tensor.scaledDotProductAttention(query: heads(0), key: heads(1), value: heads(2), mask: mask,
                                                        dropout: dropout, seed: 99, keepProbabilities: true)
        let merged = o2.permute([0, 2, 1, 3]).reshape([b, t, h])
        #expect(o1.toArray() == merged.toArray())
        #expect(p1!.toArray() == p2!.toArray())
        let g = Tensor.normal([b, t, h], mean: 0, std: 1, generator: &rng)
        o1.backward(gradient: g)
        merged.backward(gradient: g)
        #expect(packed.grad!.toArray() == separate.grad!.toArray())
    }

    @Test func outputIsStoredTimeMajorSoMergingHeadsIsFree() {
        let c = Case(b: 2, a: 3, tq: 5, tk: 5, d: 4, maskShape: nil)
        let (q, k, v, _) = Self.inputs(c, seed: 2)
        let (o, p) = Tensor.scaledDotProductAttention(query: q, key: k, value: v)
        #expect(p == nil)
        let merged = o.permute([0, 2, 1, 3])
        #expect(merged.isContiguous)
        #expect(merged.reshape([2, 5, 12]).shape == [2, 5, 12])
    }

    @Test func contiguousOperandsAndExplicitScale() {
        var rng = RandomGenerator(seed: 9)
        let q = Tensor.normal([1, 2, 6, 3], mean: 0, std: 1, generator: &rng)
        let k = Tensor.normal([1, 2, 4, 3], mean: 0, std: 1, generator: &rng)
        let v = Tensor.normal([1, 2, 4, 3], mean: 0, std: 1, generator: &rng)
        let (o, _) = Tensor.scaledDotProductAttention(query: q, key: k, value: v, scale: 0.7)
        let expected = (q.matmul(k.transposed(2, 3)) * 0.7).softmax(axis: -1).matmul(v)
        KernelCheck.close(o, expected.toArray().map(Double.init), shape: expected.shape,
                          absolute: 1e-6, relative: 1e-5, "explicit scale")
    }

    @Test func emptyKeysGiveZeros() {
        let q = Tensor.ones([1, 1, 3, 2]), kv = Tensor.ones([1, 1, 0, 2])
        let (o, _) = Tensor.scaledDotProductAttention(query: q, key: kv, value: kv)
        #expect(o.toArray() == [Float](repeating: 0, count: 6))
    }

    @Test(arguments: [Float(0), 0.25])
    func finiteDifferenceGradient(dropout: Float) {
        let c = Case(b: 1, a: 2, tq: 4, tk: 5, d: 3, maskShape: [1, 1, 1, 5], dropout: dropout)
        let (q, k, v, mask) = Self.inputs(c, seed: 21)
        // Finite masks keep the finite differences meaningful.
        let finiteMask = mask.map { m in Tensor(m.toArray().map { $0 < -1e30 ? -3 : $0 }, shape: m.shape) }
        expectGradient({ x in
            Tensor.scaledDotProductAttention(query: x[0], key: x[1], value: x[2], mask: finiteMask,
                                             dropout: dropout, seed: 5).output
        }, [q, k, v], epsilon: 1e-2, tolerance: 1e-2)
    }
}

