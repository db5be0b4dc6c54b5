import Foundation

/// A ``PretrainingBatchSource`` over prepared ``TrainingInstance``s — the shards of a
/// ``PretrainingDataset`` (memory-mapped, random access) or instances held in memory (raw text
/// prepared when the run starts) — with either the instances' own static masks or masks drawn
/// per batch by a ``DynamicMasker``. The masker's random stream is the source's
/// ``savedState()``, so a checkpoint carries it and a resumed run draws the same masks.
///
/// ```swift
/// let dataset = try PretrainingDataset(directory: "data")
/// let vocab = try PretrainingVocabulary(vocabulary: try Vocabulary(contentsOf: vocabURL))
/// let source = try InstanceDatasetSource(dataset: dataset, vocabulary: vocab, sequenceLength: 128,
///                                        masker: dataset.staticallyMasked ? nil : DynamicMasker(seed: 42))
/// let batch = try source.batch(indices: [0, 1, 2, 3])
/// ```
public final class InstanceDatasetSource: PretrainingBatchSource {
    /// Where the instances come from.
    public enum Store {
        case shards(PretrainingDataset)
        /// Instances in memory; `staticallyMasked` tells whether they carry masks.
        case memory([TrainingInstance], staticallyMasked: Bool)
    }

    public let store: Store
    public let vocabulary: PretrainingVocabulary
    public let sequenceLength: Int
    /// Draws fresh masks for every batch; nil: the instances' static masks are used.
    public private(set) var masker: DynamicMasker?

    /// - Throws: ``TrainingError/invalidData(_:)`` when an instance can be longer than
    ///   `sequenceLength`, or when the instances carry no masks and no `masker` is given.
    public init(store: Store, vocabulary: PretrainingVocabulary, sequenceLength: Int, masker: DynamicMasker? = nil,
                description: String = "the data") throws {
        let longest: Int, masked: Bool
        switch store {
        case let .shards(dataset):
            longest = dataset.maxSeqLength
            masked = dataset.staticallyMasked
        case let .memory(instances, staticallyMasked):
            longest = instances.map(\.tokens.count).max() ?? 0
            masked = staticallyMasked
        }
        guard longest <= sequenceLength else {
            throw TrainingError.invalidData("\(description) has instances of up to \(longest) tokens, more than --max-seq-length \(sequenceLength)")
        }
        guard masker != nil || masked else {
            throw TrainingError.invalidData("\(description) has no static masks (prepared for dynamic masking); mask it dynamically")
        }
        self.store = store
        self.vocabulary = vocabulary
        self.sequenceLength = sequenceLength
        self.masker = masker
    }

    /// Over the shards of `dataset`.
    public convenience init(dataset: PretrainingDataset, vocabulary: PretrainingVocabulary, sequenceLength: Int,
                            masker: DynamicMasker? = nil) throws {
        try self.init(store: .shards(dataset), vocabulary: vocabulary, sequenceLength: sequenceLength, masker: masker,
                      description: dataset.shards.first.map { ($0.path as NSString).deletingLastPathComponent } ?? "the data")
    }

    public var count: Int {
        switch store {
        case let .shards(dataset): return dataset.count
        case let .memory(instances, _): return instances.count
        }
    }

    public var dynamicallyMasked: Bool { masker != nil }

    public func instances(at indices: [Int]) throws -> [TrainingInstance] {
        switch store {
        case let .shards(dataset): return try dataset.instances(at: indices)
        case let .memory(instances, _):
            return try indices.map {
                guard instances.indices.contains($0) else { throw PretrainingError.indexOutOfRange(index: $0, count: instances.count) }
                return instances[$0]
            }
        }
    }

    public func batch(indices: [Int]) throws -> TrainingBatch {
        let instances = try instances(at: indices)
        let batch: PretrainingBatch
        if masker != nil {
            batch = masker!.batch(instances, vocabulary: vocabulary, sequenceLength: sequenceLength)
        } else {
            batch = PretrainingBatch(instances: instances, sequenceLength: sequenceLength, maxPredictions: 0,
                                     padId: vocabulary.padId)
        }
        return batch.trainingBatch
    }

    /// The masker (settings and random stream) as JSON; empty for static masks.
    public func savedState() throws -> Data {
        guard let masker else { return Data() }
        return try JSONEncoder().encode(masker)
    }

    public func restoreState(_ state: Data) throws {
        guard masker != nil else {
            guard state.isEmpty else { throw TrainingError.invalidData("the checkpoint has a dynamic masker's state, this data is statically masked") }
            return
        }
        do { masker = try JSONDecoder().decode(DynamicMasker.self, from: state) } catch {
            throw TrainingError.invalidData("the checkpoint holds no dynamic masker state for this data (\(error))")
        }
    }
}
