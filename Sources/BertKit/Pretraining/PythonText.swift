/// Python's view of a text line, on UTF-8 bytes: `str.strip()` (the characters for which
/// `str.isspace()` is true) without decoding. Stripping at byte level is exact even with
/// invalid bytes: a whitespace character's encoding at either end always decodes to itself
/// (its lead byte is never a continuation byte), and U+FFFD is not whitespace.
///
/// ```swift
/// PythonText.strippedRange(Array(" \u{3000}text\r".utf8))   // 4..<8, the bytes of "text"
/// ```
public enum PythonText {
    /// The byte range left after Python's `strip()`; empty when the line is blank.
    public static func strippedRange<C: RandomAccessCollection>(_ bytes: C) -> Range<Int>
    where C.Element == UInt8, C.Index == Int {
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi {
            let n = spaceLength(bytes, at: lo, limit: hi)
            if n == 0 { break }
            lo += n
        }
        while lo < hi {
            let n = spaceLengthEnding(bytes, at: hi, floor: lo)
            if n == 0 { break }
            hi -= n
        }
        return lo..<hi
    }

    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// Is (c0 c1 [c2]) the encoding of a non-ASCII whitespace character?
    @inline(__always)
    static func isWide(_ c0: UInt8, _ c1: UInt8, _ c2: UInt8?) -> Bool {
        switch (c0, c1) {
        case (0xC2, 0x85), (0xC2, 0xA0): return c2 == nil
        case (0xE1, 0x9A): return c2 == 0x80                                  // U+1680
        case (0xE2, 0x80): guard let c2 else { return false }
            return (c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF   // U+2000–200A, 2028, 2029, 202F
        case (0xE2, 0x81): return c2 == 0x9F                                  // U+205F
        case (0xE3, 0x80): return c2 == 0x80                                  // U+3000
        default: return false
        }
    }

    static func spaceLength<C: RandomAccessCollection>(_ b: C, at i: Int, limit: Int) -> Int
    where C.Element == UInt8, C.Index == Int {
        if isASCIISpace(b[i]) { return 1 }
        if i + 1 < limit, isWide(b[i], b[i + 1], nil) { return 2 }
        if i + 2 < limit, isWide(b[i], b[i + 1], b[i + 2]) { return 3 }
        return 0
    }

    static func spaceLengthEnding<C: RandomAccessCollection>(_ b: C, at end: Int, floor: Int) -> Int
    where C.Element == UInt8, C.Index == Int {
        if isASCIISpace(b[end - 1]) { return 1 }
        if end - 2 >= floor, isWide(b[end - 2], b[end - 1], nil) { return 2 }
        if end - 3 >= floor, isWide(b[end - 3], b[end - 2], b[end - 1]) { return 3 }
        return 0
    }
}
