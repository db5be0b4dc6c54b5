import Foundation

/// A data set of pretraining examples with random access, from which the trainer draws batches
/// by instance index (the order comes from a ``DataCursor``). Sources whose batches also depend
/// on a random stream (dynamic masking) expose that state, so a checkpoint can save it and a
/// resumed run draws the same masks.
///
/// ```swift
/// final class MySource: PretrainingBatchSource {
///     var count: Int { examples.count }
///     func batch(indices: [Int]) throws -> TrainingBatch { try TrainingBatch(examples: indices.map { examples[$0] }) }
/// }
/// ```
public protocol PretrainingBatchSource: AnyObject {
    /// Number of examples in one epoch.
    var count: Int { get }
    /// The examples at `indices`, padded into one batch.
    func batch(indices: [Int]) throws -> TrainingBatch
    /// Random state beyond the data position (a dynamic masker's stream); empty when none.
    func savedState() throws -> Data
    /// Restores what ``savedState()`` returned.
    func restoreState(_ state: Data) throws
}

extension PretrainingBatchSource {
    public func savedState() throws -> Data { Data() }
    public func restoreState(_ state: Data) throws {}
}

/// Examples held in memory, padded to a fixed `sequenceLength` (or to the longest of each batch).
///
/// ```swift
/// let source = InMemoryBatchSource(examples, sequenceLength: 128)
/// let batch = try source.batch(indices: [3, 1, 4])
/// ```
public final class InMemoryBatchSource: PretrainingBatchSource {
    public let examples: [PretrainingExample]
    public let sequenceLength: Int?
    public let padId: Int

    public init(_ examples: [PretrainingExample], sequenceLength: Int? = nil, padId: Int = 0) {
        self.examples = examples
        self.sequenceLength = sequenceLength
        self.padId = padId
    }

    public var count: Int { examples.count }

    public func batch(indices: [Int]) throws -> TrainingBatch {
        try TrainingBatch(examples: indices.map { examples[$0] }, sequenceLength: sequenceLength, padId: padId)
    }
}

/// The first `count` examples of another source (`--overfit-batches`, held-out subsets).
public final class PrefixBatchSource: PretrainingBatchSource {
    public let base: any PretrainingBatchSource
    public let count: Int

    public init(_ base: any PretrainingBatchSource, count: Int) {
        self.base = base
        self.count = min(count, base.count)
    }

    public func batch(indices: [Int]) throws -> TrainingBatch { try base.batch(indices: indices) }
    public func savedState() throws -> Data { try base.savedState() }
    public func restoreState(_ state: Data) throws { try base.restoreState(state) }
}
