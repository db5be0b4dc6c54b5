#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Tokenization

/// One shard file (``ShardFormat``), memory-mapped: opening costs nothing per instance, any
/// instance is read directly by index, and the operating system pages data in and out, so
/// memory stays flat over a run of any length.
///
/// The footer and index are checked when the file is opened and each record when it is read:
/// a truncated or foreign file gives ``PretrainingError/malformedShard(path:detail:)``, never a
/// crash.
///
/// ```swift
/// let shard = try ShardReader(path: "data/shard-00000.bkpt")
/// shard.count                          // instances in the file
/// let instance = try shard.instance(at: 17)
/// ```
public final class ShardReader: @unchecked Sendable {
    public let path: String
    public let count: Int
    public let maxSeqLength: Int
    public let maxPredictions: Int
    public let staticallyMasked: Bool
    /// ``VocabularyChecksum`` of the vocabulary the shard was written with (0: not recorded).
    public let vocabularyChecksum: UInt64
    private let base: UnsafeRawPointer?
    private let size: Int
    private let indexOffset: Int

    public init(path: String) throws {
        self.path = path
        let bad = { (detail: String) -> PretrainingError in .malformedShard(path: path, detail: detail) }
        let (fd, fileSize): (Int32, Int)
        do { (fd, fileSize) = try InputFile.openRegular(path) } catch {
            throw PretrainingError.unreadableInput(path: path, reason: error.reason)
        }
        defer { close(fd) }
        size = fileSize
        guard fileSize >= ShardFormat.magic.count + ShardFormat.footerSize else { throw bad("\(fileSize) bytes is too short") }
        guard let mapped = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw PretrainingError.unreadableInput(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        let pointer = UnsafeRawPointer(mapped)
        base = pointer
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let footer = fileSize - ShardFormat.footerSize
        let headMagic = (0..<8).map { pointer.load(fromByteOffset: $0, as: UInt8.self) }
        let tailMagic = (0..<8).map { pointer.load(fromByteOffset: fileSize - 8 + $0, as: UInt8.self) }
        let version = u32(footer)
        let count = u64(footer + 16), indexOffset = u64(footer + 24)
        let valid = headMagic == ShardFormat.magic && tailMagic == ShardFormat.magic && version == ShardFormat.version
            && indexOffset >= 8 && indexOffset <= UInt64(footer) && indexOffset % 8 == 0
            && count <= (UInt64(footer) - indexOffset) / 8 && (UInt64(footer) - indexOffset) == count * 8
        guard valid else {
            munmap(mapped, fileSize)
            throw bad(headMagic != ShardFormat.magic || tailMagic != ShardFormat.magic
                      ? "not a shard file (magic)" : version != ShardFormat.version
                      ? "unsupported version \(version)" : "inconsistent index (count \(count), index at \(indexOffset))")
        }
        self.count = Int(count)
        self.indexOffset = Int(indexOffset)
        maxSeqLength = Int(u32(footer + 4))
        maxPredictions = Int(u32(footer + 8))
        staticallyMasked = u32(footer + 12) & ShardFormat.staticallyMasked != 0
        vocabularyChecksum = u64(footer + 32)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// The instance at `index` (0-based within this shard).
    /// - Throws: ``PretrainingError/indexOutOfRange(index:count:)`` or, for a corrupt record,
    ///   ``PretrainingError/malformedShard(path:detail:)``.
    public func instance(at index: Int) throws -> TrainingInstance {
        guard index >= 0 && index < count else { throw PretrainingError.indexOutOfRange(index: index, count: count) }
        let base = self.base!
        // The stored offset is any 64-bit value in a corrupt file: compared as UInt64 before it becomes an Int.
        let stored = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: indexOffset + 8 * index, as: UInt64.self))
        func u16(_ at: Int) -> Int { Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self))) }
        let lastHeader = UInt64(indexOffset) - min(UInt64(indexOffset), UInt64(ShardFormat.recordHeaderSize))
        guard stored >= 8, stored % 4 == 0, stored <= lastHeader else {
            throw PretrainingError.malformedShard(path: path, detail: "record \(index) at \(stored) is outside the data")
        }
        let offset = Int(stored)
        let n = u16(offset), first = u16(offset + 2), m = u16(offset + 4)
        let flag = base.load(fromByteOffset: offset + 6, as: UInt8.self)
        let body = offset + ShardFormat.recordHeaderSize
        guard n <= maxSeqLength, m <= maxPredictions, first <= n, flag <= 1, body + 4 * (n + 2 * m) <= indexOffset else {
            throw PretrainingError.malformedShard(path: path, detail: "record \(index) is corrupt (length \(n), masks \(m))")
        }
        func words(_ at: Int, _ k: Int) -> [Int32] {
            (0..<k).map { Int32(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at + 4 * $0, as: UInt32.self))) }
        }
        return TrainingInstance(tokens: words(body, n), firstSegmentLength: first, isRandomNext: flag == 1,
                                maskedPositions: words(body + 4 * n, m), maskedLabels: words(body + 4 * (n + m), m))
    }
}
