import CKernels

/// Owner of a tensor's Float32 memory: 64-byte aligned, taken from and returned to a
/// size-bucketed buffer pool.
///
/// Several `Tensor` values (views) may share one storage. Tensors write through copy-on-write,
/// so code holding a `Tensor` never sees its numbers change behind its back.
///
/// ```swift
/// let storage = TensorStorage(count: 6)            // uninitialised
/// storage.pointer.update(repeating: 0, count: 6)
/// let t = Tensor(shape: [2, 3], storage: storage)
/// ```
public final class TensorStorage: @unchecked Sendable {
    /// Start of the memory (64-byte aligned).
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of usable elements.
    public let count: Int
    private let bucket: Int

    /// Allocates `count` uninitialised floats (from the pool when a freed block fits).
    public init(count: Int) {
        check(count >= 0, "TensorStorage: negative count \(count)")
        let bucket = BufferPool.bucket(for: count)
        self.bucket = bucket
        self.count = count
        self.pointer = BufferPool.shared.acquire(bucket: bucket).bindMemory(to: Float.self, capacity: bucket)
    }

    /// Allocates storage holding a copy of `values`.
    public convenience init(copying values: UnsafeBufferPointer<Float>) {
        self.init(count: values.count)
        if let base = values.baseAddress { pointer.update(from: base, count: values.count) }
    }

    deinit {
        BufferPool.shared.release(UnsafeMutableRawPointer(pointer), bucket: bucket)
    }

    /// Bytes currently cached for reuse by the pool; with `drainPool()` lets long runs check
    /// that memory stays flat.
    public static var pooledBytes: Int { BufferPool.shared.statistics.cachedBytes }

    /// The most bytes the pool keeps for reuse (default 4 GiB); larger frees go to the system.
    public static var poolCapacityBytes: Int {
        get { BufferPool.shared.capacityBytes }
        set { BufferPool.shared.capacityBytes = newValue }
    }

    /// Returns every cached block to the system.
    public static func drainPool() { BufferPool.shared.drain() }

    /// Returns every cached tensor block and the C heap's free pages to the system. Within a run,
    /// prefer ``releaseCachedMemory(since:)`` around a phase with its own working set (an
    /// evaluation, a save): it keeps the blocks the training steps reuse.
    ///
    /// ```swift
    /// TensorStorage.releaseCachedMemory()   // after training, before a long idle phase
    /// ```
    public static func releaseCachedMemory() { releaseCachedMemory(since: PoolMark(counts: [:])) }

    /// The tensor block cache as it is now, for ``releaseCachedMemory(since:)``.
    public struct PoolMark: Sendable {
        fileprivate let counts: [Int: Int]
    }

    /// Marks the block cache before a phase with a different working set.
    public static func poolMark() -> PoolMark { PoolMark(counts: BufferPool.shared.mark()) }

    /// Frees the blocks cached since `mark` (what an evaluation with a larger batch or a save
    /// added) and trims the C heap, keeping the blocks the training steps reuse, so resident
    /// memory returns to the steady working set without the steps having to allocate it again.
    ///
    /// ```swift
    /// let mark = TensorStorage.poolMark()
    /// let heldOut = try evaluator.evaluate(model, on: source)
    /// TensorStorage.releaseCachedMemory(since: mark)
    /// ```
    public static func releaseCachedMemory(since mark: PoolMark) {
        BufferPool.shared.trim(to: mark.counts)
        _ = ck_release_free_heap()
    }
}
