import Foundation

/// A directory of shard files (``ShardFormat``) as one indexable data set: instance `i` of the
/// whole set is found by binary search over the shards' cumulative counts, so a training loop
/// can read any instance — and resume at an exact one — without scanning.
///
/// ```swift
/// let dataset = try PretrainingDataset(directory: "data")
/// dataset.count
/// let batch = try dataset.batch(indices: Array(0..<32))     // padded to dataset.maxSeqLength
/// let one = try dataset.instance(at: 123_456)
/// ```
public final class PretrainingDataset: @unchecked Sendable {
    public let shards: [ShardReader]
    /// `starts[k]`: global index of shard k's first instance; `starts.last` = count.
    private let starts: [Int]
    public var count: Int { starts.last ?? 0 }
    /// The largest `maxSeqLength` / `maxPredictions` of the shards.
    public let maxSeqLength: Int
    public let maxPredictions: Int
    /// True when every shard is statically masked.
    public let staticallyMasked: Bool
    /// The id batches are padded with.
    public var padId: Int32 = 0

    /// Opens every `*.bkpt` file of `directory` in file-name order.
    /// - Throws: ``PretrainingError`` when the directory cannot be listed or a shard is malformed.
    public convenience init(directory: String) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw PretrainingError.unreadableInput(path: directory, reason: "cannot list directory")
        }
        let paths = names.filter { $0.hasSuffix("." + ShardFormat.fileExtension) && !$0.hasPrefix(".") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
        try self.init(shards: paths.map { try ShardReader(path: $0) })
    }

    public init(shards: [ShardReader]) throws {
        self.shards = shards
        var starts = [0]
        for shard in shards { starts.append(starts.last! + shard.count) }
        self.starts = starts
        maxSeqLength = shards.map(\.maxSeqLength).max() ?? 0
        maxPredictions = shards.map(\.maxPredictions).max() ?? 0
        staticallyMasked = shards.allSatisfy(\.staticallyMasked)
    }

    /// The instance at global index `index`.
    public func instance(at index: Int) throws -> TrainingInstance {
        guard index >= 0 && index < count else { throw PretrainingError.indexOutOfRange(index: index, count: count) }
        var lo = 0, hi = shards.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return try shards[lo].instance(at: index - starts[lo])
    }

    /// The instances at `indices`.
    public func instances(at indices: [Int]) throws -> [TrainingInstance] {
        try indices.map { try instance(at: $0) }
    }

    /// A padded batch of the instances at `indices` (to `sequenceLength`, default the data set's
    /// `maxSeqLength`), with their stored masks.
    public func batch(indices: [Int], sequenceLength: Int? = nil) throws -> PretrainingBatch {
        PretrainingBatch(instances: try instances(at: indices), sequenceLength: sequenceLength ?? maxSeqLength,
                         maxPredictions: maxPredictions, padId: padId)
    }
}
