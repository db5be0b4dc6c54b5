import Foundation
import Testing
import BertKit

/// PythonRandom against CPython 3.11's random.Random (values from Scripts/make_pretraining_fixtures.py).
@Suite struct PythonRandomTests {
    static func draws() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: PretrainingFixtures.url("python_random.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
    }

    @Test(arguments: ["0", "1", "12345", "4294967301", "9223372036854775807"])
    func matchesCPython(seed: String) throws {
        let expected = try Self.draws()[seed]!
        var rng = PythonRandom(seed: Int(seed)!)
        let randoms = (0..<5).map { _ in rng.random() }
        #expect(randoms.map { Int($0 * 9_007_199_254_740_992.0) } == (expected["random53"] as! [Int]))
        let bounds = [0, 1, 2, 6, 100, 30521, 1 << 31, 1 << 40]
        #expect(bounds.map { rng.randint(0, $0) } == (expected["randint"] as! [Int]))
        #expect([1, 7, 1000].map { rng.randrange(3, 3 + $0) } == (expected["randrange"] as! [Int]))
        var xs = Array(0..<20)
        rng.shuffle(&xs)
        #expect(xs == (expected["shuffle20"] as! [Int]))
        let after = (0..<700).map { _ in rng.getrandbits(32) }.suffix(3).map { Int($0) }
        #expect(after == (expected["after"] as! [Int]))
    }

    @Test func stateIsCodableAndResumesExactly() throws {
        var rng = PythonRandom(seed: 12345)
        for _ in 0..<1000 { _ = rng.random() }
        let saved = try JSONEncoder().encode(rng)
        var restored = try JSONDecoder().decode(PythonRandom.self, from: saved)
        #expect(restored == rng)
        #expect((0..<100).map { _ in restored.randint(0, 999) } == (0..<100).map { _ in rng.randint(0, 999) })
    }
}
