import Testing
import TensorCore

@Test func blasThreadsIsPositive() {
    #expect(TensorCore.blasThreads >= 1)
}
