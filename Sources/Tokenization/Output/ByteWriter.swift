/// A growable byte buffer for writing JSON quickly: the caller reserves room, then writes without
/// per-byte capacity checks.
struct ByteWriter {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    private let digits = DecimalTable.shared.entries

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = newCapacity
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func write(_ text: StaticString) {
        let n = text.utf8CodeUnitCount
        (base + count).update(from: text.utf8Start, count: n)
        count += n
    }

    /// Writes an integer in decimal (at most 20 bytes; reserve 8 bytes of slack beyond what is
    /// written, as small numbers are stored 8 bytes at a time).
    @inline(__always)
    mutating func writeInt(_ value: Int) {
        if value >= 0 && value < DecimalTable.limit {
            let entry = digits[value]
            UnsafeMutableRawPointer(base + count).storeBytes(of: entry & 0x00FF_FFFF_FFFF_FFFF, as: UInt64.self)
            count += Int(entry >> 56)
            return
        }
        var v = UInt(bitPattern: value)
        if value < 0 { write(0x2D); v = UInt(bitPattern: -value) }
        var digits = 0
        var t = v
        repeat { digits += 1; t /= 10 } while t > 0
        var k = count + digits - 1
        repeat {
            base[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
            v /= 10
            k -= 1
        } while v > 0
        count += digits
    }
}

/// The decimal digits of 0 ..< 100 000, packed little-endian in a UInt64 with the length in the
/// top byte, so writing a small number is one 8-byte store.
final class DecimalTable: @unchecked Sendable {
    static let limit = 100_000
    static let shared = DecimalTable()
    let entries: UnsafeMutablePointer<UInt64>

    private init() {
        entries = .allocate(capacity: DecimalTable.limit)
        for v in 0..<DecimalTable.limit {
            var digits: [UInt8] = []
            var x = v
            repeat { digits.append(UInt8(0x30 + x % 10)); x /= 10 } while x > 0
            var packed: UInt64 = 0
            for (k, d) in digits.reversed().enumerated() { packed |= UInt64(d) << (8 * UInt64(k)) }
            entries[v] = packed | UInt64(digits.count) << 56
        }
    }
}
