import Testing
import TensorCore

@Suite struct AutogradTests {
    @Test func simpleBackwardAndAccumulation() {
        let w = Parameter(Tensor([1, 2, 3], shape: [3]), name: "w")
        let x = Tensor([4, 5, 6], shape: [3])
        let loss = (w.value * x).sum()     // dL/dw = x
        loss.backward()
        #expect(w.grad?.toArray() == [4, 5, 6])
        (w.value * x).sum().backward()    // accumulates
        #expect(w.grad?.toArray() == [8, 10, 12])
        w.zeroGrad()
        #expect(w.grad == nil)
    }

    @Test func noGradScopeRecordsNothing() async {
        let w = Parameter(Tensor.ones([2, 2]))
        let y = withNoGrad { w.value.matmul(w.value) + 1 }
        #expect(!y.requiresGrad)
        let z = await withNoGrad { () async -> Tensor in
            await Task.yield()
            return w.value * 2
        }
        #expect(!z.requiresGrad)
        #expect((w.value * 2).requiresGrad)
        #expect(!(w.value * 2).detached().requiresGrad)
    }

    @Test func deepChainBackwardDoesNotOverflowTheStack() {
        let p = Parameter(Tensor([0.5], shape: [1]))
        var x = p.value
        for _ in 0..<10_000 { x = x * 1.0001 + 0.0 }
        x.sum().backward()
        let expected = Foundation_pow(1.0001, 10_000)
        #expect(abs(Double(p.grad!.item) - expected) / expected < 1e-3)
        // Dropping a deep graph without backward must not recurse either.
        var y = p.value
        for _ in 0..<10_000 { y = y + 1 }
        _ = y
    }
}

private func Foundation_pow(_ x: Double, _ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<n { r *= x }
    return r
}
