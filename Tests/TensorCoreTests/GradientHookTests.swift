import Foundation
import Testing
import TensorCore

/// `Parameter.onGradientFinal`: once per parameter per backward, after its last contribution,
/// as early as the graph allows (data-parallel training starts reducing from it).
@Suite struct GradientHookTests {
    /// Records (name, grad at hook time) in firing order.
    final class Log: @unchecked Sendable {
        var events: [(name: String, grad: [Float])] = []
        func watch(_ parameters: [Parameter]) {
            for p in parameters { p.onGradientFinal = { [unowned self] p in self.events.append((p.name, p.grad!.toArray())) } }
        }
    }

    @Test func firesOncePerParameterAfterItsLastContribution() {
        var rng = RandomGenerator(seed: 7)
        // A table used three times: by an embedding lookup early in the graph, by a matmul late
        // in the graph (tied decoder) and once more by a sum; its hook must see all three.
        let table = Parameter(Tensor.normal([5, 3], generator: &rng), name: "table")
        let w = Parameter(Tensor.normal([3, 3], generator: &rng), name: "w")
        let log = Log()
        log.watch([table, w])
        let ids = IntTensor([0, 3, 3, 1], shape: [4])
        let h = table.value.indexSelect(axis: 0, indices: ids).matmul(w.value).tanh()  // [4, 3]
        let logits = h.matmul(table.value.transposed(0, 1))  // [4, 5]
        let loss = logits.square().mean() + table.value.sum() * 0.5
        loss.backward()
        #expect(log.events.map(\.name).sorted() == ["table", "w"])
        for event in log.events {
            let p = event.name == "table" ? table : w
            #expect(event.grad == p.grad!.toArray(), "hook of \(event.name) saw its final gradient")
        }
        // A second backward fires again, with the accumulated gradient.
        let before = table.grad!.toArray()
        (table.value.sum() * 2).backward()
        #expect(log.events.count == 3 && log.events[2].name == "table")
        #expect(zip(log.events[2].grad, before).allSatisfy { abs($0 - ($1 + 2)) < 1e-6 })
    }

    @Test func firesAsSoonAsTheGradientIsFinal() {
        // y = w3 · tanh(w2 · tanh(w1 · x)): backward reaches w3 first and w1 last, whatever
        // the order of an op's inputs, so the hooks fire w3, w2, w1 — before backward returns
        // for the deep ones.
        var rng = RandomGenerator(seed: 3)
        let w1 = Parameter(Tensor.normal([4, 4], generator: &rng), name: "w1")
        let w2 = Parameter(Tensor.normal([4, 4], generator: &rng), name: "w2")
        let w3 = Parameter(Tensor.normal([4, 4], generator: &rng), name: "w3")
        let log = Log()
        log.watch([w1, w2, w3])
        let x = Tensor.normal([2, 4], generator: &rng)
        let h1 = w1.value.matmul(x.transposed(0, 1)).tanh()  // [4, 2], weight first
        let h2 = h1.transposed(0, 1).matmul(w2.value).tanh()  // [2, 4], weight second
        let y = w3.value.matmul(h2.transposed(0, 1))  // [4, 2]
        y.square().sum().backward()
        #expect(log.events.map(\.name) == ["w3", "w2", "w1"])
    }

    @Test func parametersNotReachedDoNotFire() {
        let a = Parameter(Tensor.ones([2]), name: "a")
        let b = Parameter(Tensor.ones([2]), name: "b")
        let log = Log()
        log.watch([a, b])
        (a.value * 3).sum().backward()
        #expect(log.events.map(\.name) == ["a"])
        #expect(log.events[0].grad == [3, 3])
        // A backward straight from a parameter's value.
        b.value.backward(gradient: Tensor([1, 2], shape: [2]))
        #expect(log.events.map(\.name) == ["a", "b"] && b.grad!.toArray() == [1, 2])
    }
}
