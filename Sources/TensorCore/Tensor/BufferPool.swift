import Foundation

/// A process-wide, size-bucketed cache of 64-byte-aligned float blocks.
///
/// Freed tensor storage goes back to the bucket of its rounded size and the next allocation of
/// that bucket reuses it, so a training loop that allocates the same shapes every step stops
/// calling `malloc` after the first step. Buckets are quarter powers of two (at most 25 % slack).
/// The cache is bounded by ``capacityBytes``; blocks beyond it are freed at once.
/// Thread-safe: one lock around the free lists.
package final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// A pool of its own (the process uses ``shared``; tests make their own).
    package init() {}

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    private var cachedBytes = 0
    private var capacity = 4 << 30
    /// Upper bound on bytes kept for reuse (default 4 GiB).
    var capacityBytes: Int {
        get { lock.lock(); defer { lock.unlock() }; return capacity }
        set { lock.lock(); capacity = newValue; lock.unlock() }
    }

    /// The bucket (element count actually allocated) for a request of `count` floats.
    package static func bucket(for count: Int) -> Int {
        if count <= 16 { return 16 }
        let high = Int.bitWidth - 1 - (count - 1).leadingZeroBitCount  // floor(log2(count-1))
        let quarter = max(1, (1 << high) >> 2)
        return (count + quarter - 1) / quarter * quarter
    }

    package func acquire(bucket: Int) -> UnsafeMutableRawPointer {
        lock.lock()
        if var list = free[bucket], let block = list.popLast() {
            free[bucket] = list
            cachedBytes -= bucket * MemoryLayout<Float>.stride
            lock.unlock()
            return block
        }
        lock.unlock()
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, 64, bucket * MemoryLayout<Float>.stride)
        guard status == 0, let block = raw else {
            fatalError("TensorStorage: out of memory allocating \(bucket) floats")
        }
        return block
    }

    package func release(_ block: UnsafeMutableRawPointer, bucket: Int) {
        let bytes = bucket * MemoryLayout<Float>.stride
        lock.lock()
        if cachedBytes + bytes <= capacity {
            free[bucket, default: []].append(block)
            cachedBytes += bytes
            lock.unlock()
            return
        }
        lock.unlock()
        Foundation.free(block)
    }

    /// Frees every cached block.
    package func drain() { trim(to: [:]) }

    /// The number of cached blocks in each bucket now (see ``trim(to:)``).
    package func mark() -> [Int: Int] {
        lock.lock()
        defer { lock.unlock() }
        return free.mapValues(\.count)
    }

    /// Frees the cached blocks beyond `mark`'s count in each bucket: what a phase with its own
    /// shapes added to the cache goes, the blocks the steady steps reuse stay.
    package func trim(to mark: [Int: Int]) {
        lock.lock()
        var excess: [UnsafeMutableRawPointer] = []
        for (bucket, list) in free {
            let keep = min(list.count, mark[bucket] ?? 0)
            guard keep < list.count else { continue }
            excess.append(contentsOf: list[keep...])
            free[bucket] = keep == 0 ? nil : Array(list[..<keep])
            cachedBytes -= (list.count - keep) * bucket * MemoryLayout<Float>.stride
        }
        lock.unlock()
        for block in excess { Foundation.free(block) }
    }

    package var statistics: (cachedBytes: Int, cachedBlocks: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (cachedBytes, free.values.reduce(0) { $0 + $1.count })
    }
}
