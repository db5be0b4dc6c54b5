import Foundation
import Testing
import TensorCore

@Suite struct RandomGeneratorTests {
    @Test func seededAndResumableBitForBit() throws {
        var a = RandomGenerator(seed: 42)
        var b = RandomGenerator(seed: 42)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var c = RandomGenerator(seed: 43)
        #expect(a.next() != c.next())

        _ = a.nextNormal()  // leaves a cached Box–Muller value in the state
        let saved = try JSONEncoder().encode(a)
        var resumed = try JSONDecoder().decode(RandomGenerator.self, from: saved)
        let original = (0..<5).map { _ in a.nextNormal() } + (0..<5).map { _ in a.nextFloat() }
        let again = (0..<5).map { _ in resumed.nextNormal() } + (0..<5).map { _ in resumed.nextFloat() }
        #expect(original == again)
    }

    @Test func distributions() {
        var rng = RandomGenerator(seed: 7)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<n {
            let z = Double(rng.nextNormal())
            sum += z; sumSquares += z * z
        }
        // standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032
        #expect(Swift.abs(sum / Double(n)) < 0.012)
        #expect(Swift.abs(sumSquares / Double(n) - 1) < 0.016)

        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.nextInt(below: 7)] += 1 }
        #expect(counts.allSatisfy { Swift.abs($0 - 10_000) < 500 })

        let u = (0..<10_000).map { _ in rng.nextFloat() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })

        let t = Tensor.truncatedNormal([10_000], mean: 1, std: 0.5, generator: &rng).toArray()
        #expect(t.allSatisfy { Swift.abs($0 - 1) <= 1 })
        let uniform = Tensor.uniform([1000], low: -3, high: -1, generator: &rng).toArray()
        #expect(uniform.allSatisfy { $0 >= -3 && $0 < -1 })
    }

    @Test func shuffleIsAPermutation() {
        var rng = RandomGenerator(seed: 3)
        var values = Array(0..<100)
        rng.shuffle(&values)
        #expect(values != Array(0..<100) && values.sorted() == Array(0..<100))
    }
}
