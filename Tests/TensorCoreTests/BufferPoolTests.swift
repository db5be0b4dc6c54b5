import Testing
import TensorCore

/// The tensor block cache: reuse by bucket, and `trim(to:)` freeing only what a phase added
/// (what `PretrainingRun` relies on to keep RSS flat across evaluations and saves).
@Suite struct BufferPoolTests {
    @Test func releasedBlocksAreReusedFromTheirBucket() {
        let pool = BufferPool()
        let bucket = BufferPool.bucket(for: 1000)
        let block = pool.acquire(bucket: bucket)
        pool.release(block, bucket: bucket)
        #expect(pool.statistics.cachedBlocks == 1)
        #expect(pool.acquire(bucket: bucket) == block)
        #expect(pool.statistics.cachedBlocks == 0)
        pool.release(block, bucket: bucket)
        pool.drain()
        #expect(pool.statistics.cachedBytes == 0)
    }

    @Test func trimToAMarkFreesOnlyWhatThePhaseAdded() {
        let pool = BufferPool()
        let small = BufferPool.bucket(for: 256), large = BufferPool.bucket(for: 4096)
        // The steady steps: three blocks of the small bucket, cached between steps.
        let steady = (0..<3).map { _ in pool.acquire(bucket: small) }
        steady.forEach { pool.release($0, bucket: small) }
        let before = pool.statistics
        let mark = pool.mark()
        // An evaluation: reuses the cached small blocks, needs two more, and two large ones.
        let phaseSmall = (0..<5).map { _ in pool.acquire(bucket: small) }
        let phaseLarge = (0..<2).map { _ in pool.acquire(bucket: large) }
        phaseSmall.forEach { pool.release($0, bucket: small) }
        phaseLarge.forEach { pool.release($0, bucket: large) }
        #expect(pool.statistics.cachedBlocks == 7)
        pool.trim(to: mark)
        #expect(pool.statistics.cachedBlocks == before.cachedBlocks)
        #expect(pool.statistics.cachedBytes == before.cachedBytes)
        #expect(pool.mark() == [small: 3])
        pool.drain()
    }
}
