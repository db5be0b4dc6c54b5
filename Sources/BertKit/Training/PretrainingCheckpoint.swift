import Foundation
import TensorCore

/// Everything besides weights and optimizer moments that a resumed run needs to continue bit
/// for bit: the step (schedule position), the data position, every dropout stream, the data
/// source's own random state, and how long each log file was when the checkpoint was taken
/// (so lines written after it are cut off on resume).
public struct PretrainingCheckpointState: Codable, Sendable, Equatable {
    public var version = 1
    /// Completed optimizer steps (skipped ones included).
    public var step: Int
    public var skippedSteps: Int
    public var cursor: DataCursor
    /// `Module.namedRandomStreams()` of the model.
    public var randomStreams: [String: RandomGenerator]
    /// `PretrainingBatchSource.savedState()`.
    public var sourceState: Data
    /// Byte length of each log file in the output directory (by file name) at save time.
    public var logLengths: [String: UInt64]
    /// Settings that must not change on resume (model shape, batch, optimizer…), as text.
    public var settings: [String: String]

    public init(step: Int, skippedSteps: Int, cursor: DataCursor, randomStreams: [String: RandomGenerator],
                sourceState: Data, logLengths: [String: UInt64] = [:], settings: [String: String] = [:]) {
        self.step = step
        self.skippedSteps = skippedSteps
        self.cursor = cursor
        self.randomStreams = randomStreams
        self.sourceState = sourceState
        self.logLengths = logLengths
        self.settings = settings
    }
}

/// Writes and finds training checkpoints under `directory`: one sub-directory `step-00000100`
/// per checkpoint holding an HF model directory (`config.json`, `model.safetensors`,
/// `vocab.txt`) plus `optimizer.safetensors` and `trainer_state.json`.
///
/// A checkpoint is written into a hidden temporary directory, every file flushed to disk, and
/// only then renamed to its final name, so `kill -9` at any moment leaves either the complete
/// new checkpoint or none; the previous checkpoints stay until the new one is complete, then
/// all but the newest `keep` are removed.
///
/// ```swift
/// let checkpoints = PretrainingCheckpointer(directory: output.appendingPathComponent("checkpoints"), keep: 2)
/// try checkpoints.save(model: model, optimizer: optimizer, state: state, vocabulary: vocabURL)
/// if let latest = try checkpoints.latest() { let state = try checkpoints.restore(latest, model: model, optimizer: optimizer) }
/// ```
public struct PretrainingCheckpointer: Sendable {
    public let directory: URL
    /// Checkpoints kept after each save (at least 1).
    public let keep: Int

    public init(directory: URL, keep: Int = 2) {
        self.directory = directory
        self.keep = max(1, keep)
    }

    static let stateFile = "trainer_state.json"
    static let optimizerFile = "optimizer.safetensors"

    /// The directory name of the checkpoint after `step` steps.
    public static func name(step: Int) -> String { "step-" + String(format: "%08d", step) }

    /// Saves a checkpoint atomically, then applies the rotation.
    /// - Returns: the checkpoint's directory.
    @discardableResult
    public func save(model: BertForPreTraining, optimizer: any Optimizer, state: PretrainingCheckpointState,
                     vocabulary: URL?) throws -> URL {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let final = directory.appendingPathComponent(Self.name(step: state.step))
        let temporary = directory.appendingPathComponent(".tmp-\(Self.name(step: state.step))-\(getpid())")
        try? fm.removeItem(at: temporary)
        try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        do {
            try BertCheckpoint.save(model, config: model.config, architecture: "BertForPreTraining", to: temporary)
            try optimizer.saveState(to: temporary.appendingPathComponent(Self.optimizerFile).path)
            if let vocabulary {
                let bytes = try Data(contentsOf: vocabulary)
                try AtomicFile.write(to: temporary.appendingPathComponent("vocab.txt").path) { try $0.write(Array(bytes)) }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let json = try encoder.encode(state)
            try AtomicFile.write(to: temporary.appendingPathComponent(Self.stateFile).path) { try $0.write(Array(json)) }
            if fm.fileExists(atPath: final.path) {  // the same step saved again (a resumed run): replace it
                let old = directory.appendingPathComponent(".old-\(Self.name(step: state.step))-\(getpid())")
                try fm.moveItem(at: final, to: old)
                try fm.moveItem(at: temporary, to: final)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: temporary, to: final)
            }
            syncDirectory(directory)
        } catch {
            try? fm.removeItem(at: temporary)
            throw error
        }
        for stale in try checkpoints().dropLast(keep) { try? fm.removeItem(at: stale.url) }
        return final
    }

    /// Complete checkpoints, oldest first.
    public func checkpoints() throws -> [(step: Int, url: URL)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("step-"), let step = Int(name.dropFirst(5)) else { return nil }
            return (step, directory.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest complete checkpoint, or nil; leftovers of interrupted saves are removed.
    public func latest() throws -> URL? {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) {
            for name in names where name.hasPrefix(".tmp-") || name.hasPrefix(".old-") {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
        return try checkpoints().last?.url
    }

    /// Reads a checkpoint's `trainer_state.json`.
    public static func state(at checkpoint: URL) throws -> PretrainingCheckpointState {
        let url = checkpoint.appendingPathComponent(stateFile)
        guard let data = try? Data(contentsOf: url) else {
            throw TrainingError.checkpoint(path: checkpoint.path, reason: "no readable \(stateFile)")
        }
        do { return try JSONDecoder().decode(PretrainingCheckpointState.self, from: data) } catch {
            throw TrainingError.checkpoint(path: url.path, reason: "not a trainer state: \(error)")
        }
    }

    /// Loads weights (strictly), optimizer state and dropout streams from `checkpoint` into
    /// `model` and `optimizer`, and returns the rest of the state.
    public func restore(_ checkpoint: URL, model: BertForPreTraining, optimizer: any Optimizer) throws
        -> PretrainingCheckpointState
    {
        let state = try Self.state(at: checkpoint)
        do {
            try BertCheckpoint.load(contentsOf: checkpoint.appendingPathComponent("model.safetensors"), into: model,
                                    strict: true)
            try optimizer.loadState(from: checkpoint.appendingPathComponent(Self.optimizerFile).path)
            try model.restoreRandomStreams(state.randomStreams)
        } catch {
            throw TrainingError.checkpoint(path: checkpoint.path, reason: "\(error)")
        }
        return state
    }

    private func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
