import Foundation

/// Writes one shard file (see ``ShardFormat``) as a stream; the file appears on ``finish()``.
///
/// ```swift
/// let shard = try ShardWriter(path: "data/shard-00000.bkpt", maxSeqLength: 128, maxPredictions: 20,
///                             staticallyMasked: true)
/// for instance in instances { try shard.write(instance) }
/// try shard.finish()
/// ```
public final class ShardWriter: InstanceSink {
    private let file: StreamingFileWriter
    private var offsets: [UInt64] = []
    public let maxSeqLength: Int
    public let maxPredictions: Int
    public let staticallyMasked: Bool
    /// Recorded in the footer (``VocabularyChecksum``; 0: not recorded).
    public let vocabularyChecksum: UInt64
    public var instanceCount: Int { offsets.count }
    /// Bytes written so far.
    public var byteCount: Int { file.offset }

    public init(path: String, maxSeqLength: Int, maxPredictions: Int, staticallyMasked: Bool,
                vocabularyChecksum: UInt64 = 0) throws {
        file = try StreamingFileWriter(path: path)
        self.maxSeqLength = maxSeqLength
        self.maxPredictions = maxPredictions
        self.staticallyMasked = staticallyMasked
        self.vocabularyChecksum = vocabularyChecksum
        try file.write(ShardFormat.magic)
    }

    /// - Throws: ``PretrainingError/invalidSetting(name:detail:)`` for an instance that does not
    ///   fit the shard's limits (longer than `maxSeqLength`, more than `maxPredictions` masks).
    public func write(_ instance: TrainingInstance) throws {
        let n = instance.tokens.count, m = instance.maskedPositions.count
        guard n <= maxSeqLength, m <= maxPredictions, m == instance.maskedLabels.count,
              instance.firstSegmentLength <= n else {
            throw PretrainingError.invalidSetting(
                name: "instance", detail: "\(n) tokens / \(m) masks do not fit the shard (\(maxSeqLength) / \(maxPredictions))")
        }
        offsets.append(UInt64(file.offset))
        try file.writeLittleEndian(UInt16(n))
        try file.writeLittleEndian(UInt16(instance.firstSegmentLength))
        try file.writeLittleEndian(UInt16(m))
        try file.write([instance.isRandomNext ? 1 : 0, 0] as [UInt8])
        for id in instance.tokens { try file.writeLittleEndian(UInt32(bitPattern: id)) }
        for p in instance.maskedPositions { try file.writeLittleEndian(UInt32(bitPattern: p)) }
        for l in instance.maskedLabels { try file.writeLittleEndian(UInt32(bitPattern: l)) }
    }

    /// Writes the index and footer and renames the file into place.
    public func finish() throws {
        while file.offset % 8 != 0 { try file.write([0] as [UInt8]) }
        let indexOffset = UInt64(file.offset)
        for offset in offsets { try file.writeLittleEndian(offset) }
        try file.writeLittleEndian(ShardFormat.version)
        try file.writeLittleEndian(UInt32(maxSeqLength))
        try file.writeLittleEndian(UInt32(maxPredictions))
        try file.writeLittleEndian(staticallyMasked ? ShardFormat.staticallyMasked : 0)
        try file.writeLittleEndian(UInt64(offsets.count))
        try file.writeLittleEndian(indexOffset)
        try file.writeLittleEndian(vocabularyChecksum)
        try file.write(ShardFormat.magic)
        try file.commit()
    }
}

/// Writes instances into a directory of shards, starting a new shard every
/// `instancesPerShard` instances (`shard-00000.bkpt`, …). Each shard appears when complete.
///
/// ```swift
/// let sink = try ShardSetWriter(directory: "data", maxSeqLength: 128, maxPredictions: 20)
/// try sink.write(instance) … ; try sink.finish()
/// let dataset = try PretrainingDataset(directory: "data")
/// ```
public final class ShardSetWriter: InstanceSink {
    public let directory: String
    public let maxSeqLength: Int
    public let maxPredictions: Int
    public let staticallyMasked: Bool
    public let instancesPerShard: Int
    /// Recorded in every shard's footer (``VocabularyChecksum``; 0: not recorded).
    public let vocabularyChecksum: UInt64
    private var current: ShardWriter?
    public private(set) var shardCount = 0
    public private(set) var instanceCount = 0

    /// Creates `directory` if needed.
    /// - Throws: ``PretrainingError/unwritableOutput(path:reason:)`` when it cannot be created.
    public init(directory: String, maxSeqLength: Int, maxPredictions: Int, staticallyMasked: Bool = true,
                instancesPerShard: Int = 250_000, vocabularyChecksum: UInt64 = 0) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PretrainingError.unwritableOutput(path: directory, reason: "cannot create directory")
        }
        self.directory = directory
        self.maxSeqLength = maxSeqLength
        self.maxPredictions = maxPredictions
        self.staticallyMasked = staticallyMasked
        self.instancesPerShard = max(1, instancesPerShard)
        self.vocabularyChecksum = vocabularyChecksum
    }

    public func write(_ instance: TrainingInstance) throws {
        if current == nil {
            current = try ShardWriter(path: (directory as NSString).appendingPathComponent(ShardFormat.shardName(shardCount)),
                                      maxSeqLength: maxSeqLength, maxPredictions: maxPredictions,
                                      staticallyMasked: staticallyMasked, vocabularyChecksum: vocabularyChecksum)
        }
        try current!.write(instance)
        instanceCount += 1
        if current!.instanceCount >= instancesPerShard { try closeShard() }
    }

    private func closeShard() throws {
        guard let shard = current else { return }
        try shard.finish()
        current = nil
        shardCount += 1
    }

    /// Completes the last shard (an empty data set has no shard files).
    public func finish() throws { try closeShard() }
}
