/// A growable byte buffer for writing JSON quickly: the caller reserves room, then writes without
/// per-byte capacity checks.
struct ByteWriter {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

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

    /// Writes a non-negative or negative integer in decimal (at most 20 bytes).
    @inline(__always)
    mutating func writeInt(_ value: Int) {
        if value >= 0 && value < 10 { write(UInt8(truncatingIfNeeded: 0x30 + value)); return }
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
