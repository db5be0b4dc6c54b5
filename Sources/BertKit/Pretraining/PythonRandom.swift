import TensorCore

/// CPython's `random.Random`, draw for draw: the Mersenne Twister MT19937 seeded with
/// `init_by_array` from an integer seed, and `random()`, `getrandbits(k)`, `randint`,
/// `randrange`, `shuffle` computed exactly as CPython 3.11 computes them (`_randbelow` by
/// `getrandbits` rejection). With it, Swift code can replay a Python script's random choices —
/// google-research/bert's `create_pretraining_data.py` uses `random.Random(12345)`.
///
/// ```swift
/// var rng = PythonRandom(seed: 12345)   // random.Random(12345)
/// rng.random()                          // 0.41661987254534116, as in Python
/// rng.randint(1, 6)                     // rng.randint(1, 6)
/// var xs = [1, 2, 3, 4]; rng.shuffle(&xs)
/// let saved = try JSONEncoder().encode(rng)   // the full state, to resume exactly
/// ```
public struct PythonRandom: Codable, Sendable, Equatable {
    private static let n = 624
    private static let m = 397
    private var state: [UInt32]
    private var index: Int

    /// `random.Random(seed)` for a non-negative integer seed (negative seeds use `abs`, as CPython).
    public init(seed: Int) {
        let magnitude = seed.magnitude
        var key: [UInt32] = []
        var rest = UInt64(magnitude)
        repeat {
            key.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        } while rest != 0
        self.init(key: key)
    }

    /// Seeds with `init_by_array(key)`; `key` are the 32-bit words of a Python int, least
    /// significant first (`random.Random(k[0] + k[1] << 32 + …)`).
    public init(key: [UInt32]) {
        let n = Self.n
        var mt = [UInt32](repeating: 0, count: n)
        mt[0] = 19_650_218
        for i in 1..<n {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        let words = key.isEmpty ? [0] : key
        var i = 1, j = 0
        for _ in 0..<max(n, words.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ words[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= words.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
        }
        mt[0] = 0x8000_0000
        state = mt
        index = n
    }

    /// The next 32 output bits (`genrand_uint32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= Self.n { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let n = Self.n, m = Self.m
        state.withUnsafeMutableBufferPointer { mt in
            for k in 0..<n {
                let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % n] & 0x7FFF_FFFF)
                var next = mt[(k + m) % n] ^ (y >> 1)
                if y & 1 != 0 { next ^= 0x9908_B0DF }
                mt[k] = next
            }
        }
        index = 0
    }

    /// `random.random()`: uniform in [0, 1) with 53 bits.
    public mutating func random() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random.getrandbits(k)` for 0 ≤ k ≤ 64.
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        check(k >= 0 && k <= 64, "getrandbits supports 0...64 bits")
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(nextUInt32() >> UInt32(32 - k)) }
        let low = UInt64(nextUInt32())
        let high = UInt64(nextUInt32() >> UInt32(64 - k))
        return low | (high << 32)
    }

    /// `random._randbelow(n)`: uniform in [0, n) for n ≥ 1, by rejection on `n.bit_length()` bits.
    public mutating func randbelow(_ n: Int) -> Int {
        check(n > 0, "randbelow needs n > 0")
        let bits = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(bits)
        while r >= UInt64(n) { r = getrandbits(bits) }
        return Int(r)
    }

    /// `random.randint(a, b)`: uniform in [a, b] (both ends included); needs a ≤ b.
    public mutating func randint(_ a: Int, _ b: Int) -> Int {
        check(a <= b, "randint needs a <= b")
        return a + randbelow(b - a + 1)
    }

    /// `random.randrange(start, stop)`: uniform in [start, stop); needs start < stop.
    public mutating func randrange(_ start: Int, _ stop: Int) -> Int {
        check(start < stop, "randrange needs start < stop")
        return start + randbelow(stop - start)
    }

    /// `random.shuffle(x)` in place (Fisher–Yates from the end, CPython's draws).
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ x: inout C) where C.Index == Int {
        guard x.count > 1 else { return }
        let base = x.startIndex
        for i in stride(from: x.count - 1, through: 1, by: -1) {
            let j = randbelow(i + 1)
            x.swapAt(base + i, base + j)
        }
    }
}
