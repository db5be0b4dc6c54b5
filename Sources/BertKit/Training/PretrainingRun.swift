import Foundation
import TensorCore
import Tokenization

/// How a ``PretrainingRun`` draws, logs and saves.
public struct PretrainingRunSettings: Sendable {
    public var batchSize: Int
    public var gradientAccumulation: Int = 1
    public var steps: Int
    public var seed: UInt64 = 42
    public var shuffle = true
    public var logEvery = 1
    /// Evaluate on the held-out source every this many steps (0: only at the end).
    public var evalEvery = 0
    /// Checkpoint every this many steps (0: only at the end).
    public var saveEvery = 0
    public var keepCheckpoints = 2
    /// Print one held-out prediction sample every this many steps (0: never).
    public var sampleEvery = 0
    public var evalBatchSize = 32
    /// Evaluate at most this many held-out examples.
    public var evalLimit: Int?

    public init(batchSize: Int, steps: Int) {
        self.batchSize = batchSize
        self.steps = steps
    }
}

/// A pretraining run in an output directory — the loop behind `bert pretrain`, built from the
/// library pieces: a ``DataCursor`` over a ``PretrainingBatchSource``, ``PretrainingTrainer``
/// steps, a ``PretrainingEvaluator`` on held-out data, ``PretrainingCheckpointer``
/// checkpoints, `metrics.jsonl` and the progress line. The final model is written to
/// `output/model` as an HF model directory (`BertForPreTraining`).
///
/// Data-parallel (`trainer.reducer` set, N processes): every process keeps the same cursor and
/// takes its slice of each global batch of N × `batchSize` examples (rank r: positions
/// r·batchSize ..< (r+1)·batchSize — no overlap, no duplicate, the same examples as one process
/// with N × `batchSize`); rank 0 alone writes metrics, progress, checkpoints and the model, and
/// evaluation is split between the processes. Checkpoints do not depend on N, so a run resumes
/// with another process count as long as the global batch stays the same.
///
/// ```swift
/// let run = try PretrainingRun(trainer: trainer, source: source, evalSource: heldOut, settings: settings,
///                              output: URL(fileURLWithPath: "run"), vocabulary: vocabURL, resume: true)
/// try run.train()
/// ```
public final class PretrainingRun {
    public let trainer: PretrainingTrainer
    public let source: any PretrainingBatchSource
    public let evalSource: (any PretrainingBatchSource)?
    public let settings: PretrainingRunSettings
    public let output: URL
    public let vocabulary: URL?
    public let checkpointer: PretrainingCheckpointer
    public private(set) var cursor: DataCursor
    /// Settings recorded in each checkpoint; a resume with different values is refused.
    public let fingerprint: [String: String]
    public var progress: ProgressLine
    public let metrics: MetricsLog
    /// TensorBoard event file of this process (scalars of every metrics record).
    /// TensorBoard scalars (nil on ranks other than 0).
    public let board: TensorBoardWriter?
    private let tokens: Vocabulary?
    /// Where training continued from (nil: a fresh start).
    public private(set) var resumedFrom: URL?

    public init(trainer: PretrainingTrainer, source: any PretrainingBatchSource,
                evalSource: (any PretrainingBatchSource)?, settings: PretrainingRunSettings, output: URL,
                vocabulary: URL?, fingerprint: [String: String] = [:], resume: Bool,
                progress: ProgressLine? = nil) throws {
        guard settings.batchSize > 0, settings.gradientAccumulation > 0, settings.steps > 0 else {
            throw TrainingError.invalidSetting("batch size, gradient accumulation and steps must be positive")
        }
        guard source.count > 0 else { throw TrainingError.invalidData("the training data has no example") }
        self.trainer = trainer
        self.source = source
        self.evalSource = evalSource
        self.settings = settings
        self.output = output
        self.vocabulary = vocabulary
        self.fingerprint = fingerprint
        let leader = trainer.reducer?.isLeader ?? true
        self.progress = leader ? progress ?? ProgressLine(totalSteps: settings.steps)
            : ProgressLine(totalSteps: settings.steps, inPlace: false, write: { _ in })
        tokens = vocabulary.flatMap { try? Vocabulary(contentsOf: $0) }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        checkpointer = PretrainingCheckpointer(directory: output.appendingPathComponent("checkpoints"),
                                               keep: settings.keepCheckpoints)
        cursor = DataCursor(count: source.count, seed: settings.seed, shuffle: settings.shuffle)
        var metricsLength: UInt64 = 0
        if resume, let latest = try checkpointer.latest() {
            let state = try checkpointer.restore(latest, model: trainer.model, optimizer: trainer.optimizer)
            let changed = Set(fingerprint.keys).union(state.settings.keys).filter { fingerprint[$0] != state.settings[$0] }
            guard changed.isEmpty else {
                throw TrainingError.checkpoint(path: latest.path, reason: "the run settings differ from the checkpoint's: "
                    + changed.sorted().map { "\($0) \(state.settings[$0] ?? "-") → \(fingerprint[$0] ?? "-")" }.joined(separator: ", "))
            }
            guard state.cursor.count == source.count else {
                throw TrainingError.checkpoint(path: latest.path, reason: "saved for \(state.cursor.count) training examples, the data has \(source.count)")
            }
            try source.restoreState(state.sourceState)
            cursor = state.cursor
            trainer.completedSteps = state.step
            trainer.skippedSteps = state.skippedSteps
            metricsLength = state.logLengths["metrics.jsonl"] ?? 0
            resumedFrom = latest
        } else if !resume, !((try? checkpointer.checkpoints()) ?? []).isEmpty {
            throw TrainingError.invalidSetting("\(output.path) already holds checkpoints: pass --resume to continue, or use a new --output")
        }
        metrics = try MetricsLog(url: leader ? output.appendingPathComponent("metrics.jsonl") : URL(fileURLWithPath: "/dev/null"),
                                 truncateTo: leader ? metricsLength : nil)
        // TensorBoard files and the report are rank 0's, like metrics.jsonl.
        board = leader ? try TensorBoardWriter(directory: output, purgeStep: resumedFrom.map { _ in trainer.completedSteps + 1 }) : nil
        if let reducer = trainer.reducer, reducer.worldSize > 1 {
            let position = "examples=\(source.count) step=\(trainer.completedSteps) cursor=\(cursor.epoch),\(cursor.position)"
            try reducer.synchronize(trainer.model.parameters(), fingerprint: fingerprint.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n" + position)
        }
    }

    /// Rewrites `output/report.svg` from metrics.jsonl (rank 0 only under MPI).
    public func writeReport() throws {
        guard board != nil else { return }
        try TrainingReport.write(metrics: metrics.url, to: output.appendingPathComponent("report.svg"))
    }

    /// Trains until `settings.steps` steps are done, then writes `output/model`.
    /// - Returns: the last held-out evaluation, if there is held-out data.
    @discardableResult
    public func train() throws -> PretrainingEvaluation? {
        let leader = trainer.reducer?.isLeader ?? true
        let (rank, world) = (trainer.reducer?.rank ?? 0, trainer.reducer?.worldSize ?? 1)
        if let resumedFrom { progress.message("resumed from \(resumedFrom.path) at step \(trainer.completedSteps)") }
        let sequencesPerStep = settings.batchSize * settings.gradientAccumulation * world
        var lastEval: PretrainingEvaluation?
        var smoothedSeconds: Double?
        while trainer.completedSteps < settings.steps {
            let started = Date()
            var micro: [TrainingBatch] = []
            for _ in 0..<settings.gradientAccumulation {
                let global = cursor.next(settings.batchSize * world)  // this process's slice of the global batch
                micro.append(try source.batch(indices: Array(global[(rank * settings.batchSize)..<((rank + 1) * settings.batchSize)])))
            }
            let result = try trainer.step(micro)
            let seconds = Date().timeIntervalSince(started)
            smoothedSeconds = smoothedSeconds.map { 0.9 * $0 + 0.1 * seconds } ?? seconds
            let step = result.step
            let sequencesPerSecond = Double(sequencesPerStep) / max(seconds, 1e-9)
            if step % max(1, settings.logEvery) == 0 || step == settings.steps {
                try metrics.append([
                    ("kind", .string("train")), ("step", .int(step)), ("epoch", .double(cursor.epochsRead)),
                    ("loss", .double(result.loss)), ("mlm_loss", .double(result.mlmLoss)),
                    ("nsp_loss", .double(result.nspLoss)), ("mlm_accuracy", .double(result.mlmAccuracy)),
                    ("nsp_accuracy", .double(result.nspAccuracy)), ("lr", .double(result.learningRate)),
                    ("grad_norm", .double(result.gradientNorm)), ("masked_tokens", .int(result.maskedTokens)),
                    ("skipped_nonfinite", .int(trainer.skippedSteps)), ("seq_per_s", .double(sequencesPerSecond)),
                    ("rss_mb", .double(ProcessMemory.residentMegabytes)),
                ])
                try board?.add(scalars: [
                    ("train/loss", result.loss), ("train/mlm_loss", result.mlmLoss), ("train/nsp_loss", result.nspLoss),
                    ("train/mlm_accuracy", result.mlmAccuracy), ("train/nsp_accuracy", result.nspAccuracy),
                    ("train/lr", result.learningRate), ("train/grad_norm", result.gradientNorm),
                    ("train/seq_per_s", sequencesPerSecond),
                ], step: step)
                progress.update(result, sequencesPerSecond: sequencesPerSecond, secondsPerStep: smoothedSeconds!)
            }
            let evalDue = (settings.evalEvery > 0 && step % settings.evalEvery == 0) || step == settings.steps
            let sampleDue = leader && settings.sampleEvery > 0 && step % settings.sampleEvery == 0
            let saveDue = leader && ((settings.saveEvery > 0 && step % settings.saveEvery == 0) || step == settings.steps)
            guard (evalDue || sampleDue) && evalSource != nil || saveDue else { continue }
            // Evaluation (larger batches) and saving (serialisation buffers) leave their peak in the
            // pool and the heap; hand back what they added, keeping the blocks the training steps
            // reuse, so RSS stays at the training working set (flat over long runs).
            let poolMark = TensorStorage.poolMark()
            if let evalSource {
                if evalDue { lastEval = try evaluate(evalSource, step: step) }
                if sampleDue { try sample(evalSource, step: step) }
            }
            if saveDue { try saveCheckpoint() }
            TensorStorage.releaseCachedMemory(since: poolMark)
        }
        progress.finish()
        guard leader else { return lastEval }
        try writeReport()
        let model = output.appendingPathComponent("model")
        try BertCheckpoint.save(trainer.model, config: trainer.model.config, architecture: "BertForPreTraining", to: model)
        if let vocabulary {
            let bytes = try Data(contentsOf: vocabulary)
            try AtomicFile.write(to: model.appendingPathComponent("vocab.txt").path) { try $0.write(Array(bytes)) }
        }
        return lastEval
    }

    /// Saves a checkpoint of the current state.
    public func saveCheckpoint() throws {
        let state = PretrainingCheckpointState(
            step: trainer.completedSteps, skippedSteps: trainer.skippedSteps, cursor: cursor,
            randomStreams: trainer.model.namedRandomStreams(), sourceState: try source.savedState(),
            logLengths: ["metrics.jsonl": metrics.length], settings: fingerprint)
        try checkpointer.save(model: trainer.model, optimizer: trainer.optimizer, state: state, vocabulary: vocabulary)
    }

    func evaluate(_ heldOut: any PretrainingBatchSource, step: Int) throws -> PretrainingEvaluation {
        let e = try PretrainingEvaluator(batchSize: settings.evalBatchSize, limit: settings.evalLimit)
            .evaluate(trainer.model, on: heldOut, reducer: trainer.reducer)
        try metrics.append([
            ("kind", .string("eval")), ("step", .int(step)), ("eval_mlm_loss", .double(e.mlmLoss)),
            ("eval_perplexity", .double(e.perplexity)), ("eval_mlm_accuracy", .double(e.mlmAccuracy)),
            ("eval_nsp_loss", .double(e.nspLoss)), ("eval_nsp_accuracy", .double(e.nspAccuracy)),
        ])
        try board?.add(scalars: [
            ("eval/mlm_loss", e.mlmLoss), ("eval/perplexity", e.perplexity), ("eval/mlm_accuracy", e.mlmAccuracy),
            ("eval/nsp_loss", e.nspLoss), ("eval/nsp_accuracy", e.nspAccuracy),
        ], step: step)
        try writeReport()
        progress.message(String(format: "eval at step %d: perplexity %.3f  mlm loss %.4f  mlm acc %.3f  nsp acc %.3f",
                                step, e.perplexity, e.mlmLoss, e.mlmAccuracy, e.nspAccuracy))
        return e
    }

    /// Prints held-out example `step / sampleEvery mod count` as input / target / predicted tokens.
    func sample(_ heldOut: any PretrainingBatchSource, step: Int) throws {
        let index = (step / settings.sampleEvery) % heldOut.count
        let sample = try PredictionSample.make(trainer.model, batch: try heldOut.batch(indices: [index]))
        progress.message(sample.text(step: step, vocabulary: tokens))
    }
}
