/// UTF-8 decoding that never fails: each maximal ill-formed subsequence becomes one U+FFFD, the
/// Unicode-recommended practice that Python's `bytes.decode("utf-8", "replace")` and Swift's
/// `String(decoding:as:)` both follow. Offsets (in code points) therefore agree with HF's Python
/// API on text that was decoded that way.
enum UTF8Decoding {
    /// Decodes the scalar starting at byte `i` (< `n`): the scalar value and its length in bytes.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= low && p[i + k] <= high
        }
        switch b0 {
        case 0xC2...0xDF:
            guard cont(1) else { return (0xFFFD, 1) }
            return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2)
        case 0xE0...0xEF:
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard cont(1, low, high) else { return (0xFFFD, 1) }
            guard cont(2) else { return (0xFFFD, 2) }
            return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
        case 0xF0...0xF4:
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard cont(1, low, high) else { return (0xFFFD, 1) }
            guard cont(2) else { return (0xFFFD, 2) }
            guard cont(3) else { return (0xFFFD, 3) }
            return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                    | UInt32(p[i + 3] & 0x3F), 4)
        default:
            return (0xFFFD, 1)
        }
    }

    /// The number of code points `bytes` decodes to (with replacement).
    static func scalarCount(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0, count = 0
        while i < n {
            if p[i] < 0x80 { i += 1 } else { i += decode(p, i, n).length }
            count += 1
        }
        return count
    }
}
