import Foundation
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

    @Test func deepGraphsWorkOnASmallStack() {
        // 256 KB of stack: any recursion per node (backward, topological sort or releasing an
        // unused graph) would overflow long before 20,000 nodes.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var gradient: Float = 0
        let thread = Thread {
            let p = Parameter(Tensor([1], shape: [1]))
            var x = p.value
            for _ in 0..<20_000 { x = x + 1 }
            x.sum().backward()
            gradient = p.grad!.item
            var y = p.value
            for _ in 0..<20_000 { y = y * 1 }
            y = Tensor(0)  // drops the unused 20,000-node graph
            _ = y
            done.signal()
        }
        thread.stackSize = 256 << 10
        thread.start()
        done.wait()
        #expect(gradient == 1)
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

@Suite struct AutogradGraphTests {
    @Test func sharedSubexpressionsAccumulate() {
        // L = Σ (y·y + y) with y = w·x: dL/dw = (2y + 1)·x
        let w = Parameter(Tensor([1, -2, 0.5], shape: [3]))
        let x = Tensor([3, 1, 2], shape: [3])
        let y = w.value * x
        (y * y + y).sum().backward()
        let expected = zip([1.0, -2, 0.5], [3.0, 1, 2]).map { (w, x) in (2 * w * x + 1) * x }
        expectClose(w.grad!, expected, tolerance: 0)
    }

    @Test func tiedParameterGetsBothContributions() {
        let p = Parameter(Tensor([2], shape: [1]))
        (p.value * p.value * p.value).sum().backward()   // d(p³)/dp = 3p²
        #expect(p.grad?.item == 12)
    }

    @Test func customOpThroughRecordHook() {
        // cube(x) = x³ with a hand-written backward, as kernels do for fused ops
        func cube(_ x: Tensor) -> Tensor {
            let out = withNoGrad { x * x * x }
            let saved = x.detached()
            return Tensor.record(op: "cube", inputs: [x], output: out) { g in [g * saved * saved * 3] }
        }
        var rng = RandomGenerator(seed: 1)
        expectGradient({ cube($0[0]) }, [Tensor.normal([4], generator: &rng)])
        #expect(!cube(Tensor.ones([2])).requiresGrad)
    }

    @Test func graphIsReleasedAfterBackward() {
        let p = Parameter(Tensor.ones([4]))
        weak var savedStorage: TensorStorage?
        let loss: Tensor
        do {
            let a = Tensor([1, 2, 3, 4], shape: [4])
            savedStorage = a.storage
            loss = (p.value * a).sum()     // mul saves `a` for backward
        }
        #expect(savedStorage != nil)
        loss.backward()
        #expect(savedStorage == nil)
        #expect(p.grad?.toArray() == [1, 2, 3, 4])
    }

    @Test func frozenParameterGetsNoGradient() {
        let frozen = Parameter(Tensor.ones([2]), requiresGrad: false)
        let live = Parameter(Tensor.ones([2]))
        (frozen.value * live.value).sum().backward()
        #expect(frozen.grad == nil && live.grad != nil)
        #expect(!frozen.value.requiresGrad)
    }

    @Test func optimizerStyleInPlaceUpdateOfParameter() {
        let p = Parameter(Tensor([1, 2], shape: [2]))
        weak let storage = p.value.storage   // weak: must not defeat the uniqueness check
        (p.value * 3).sum().backward()
        withNoGrad { p.value.addInPlace(p.grad!, scale: -0.5) }
        #expect(p.value.toArray() == [-0.5, 0.5])
        #expect(p.value.storage === storage)    // no copy: the graph was released
        #expect(p.value.requiresGrad)
    }

    @Test func backwardWithExplicitGradient() {
        let p = Parameter(Tensor([1, 2, 3], shape: [3]))
        (p.value * 2).backward(gradient: Tensor([1, 0, -1], shape: [3]))
        #expect(p.grad?.toArray() == [2, 0, -2])
    }
}
