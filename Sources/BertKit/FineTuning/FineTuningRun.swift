import Foundation
import TensorCore

/// How a ``FineTuningRun`` draws, evaluates and keeps models.
public struct FineTuningRunSettings: Sendable {
    public var batchSize: Int
    public var gradientAccumulation = 1
    /// Optimizer steps in all.
    public var steps: Int
    public var seed: UInt64 = 42
    public var shuffle = true
    public var logEvery = 10
    /// Evaluate every this many steps (0: only at the end).
    public var evalEvery = 0
    /// Write the model with the best primary metric as `model` (else the last one).
    public var keepBest = true
    /// Stop after this many evaluations without improvement (nil: never).
    public var patience: Int?
    /// The settings every process of a data-parallel run must share (e.g. the command line);
    /// checked against rank 0's at start, with the parameter shapes and the data size.
    public var fingerprint = ""

    public init(batchSize: Int, steps: Int) {
        self.batchSize = batchSize
        self.steps = steps
    }
}

/// A fine-tuning run in an output directory — the loop behind `bert finetune`: a
/// ``DataCursor`` over the task's training examples, ``FineTuningTrainer`` steps, the task's
/// evaluation every `evalEvery` steps, `metrics.jsonl`, the progress line, the best model kept by
/// the task metric, early stopping. Writes `output/model` (an HF model directory) and
/// `output/eval_results.json`.
///
/// ```swift
/// let run = try FineTuningRun(task: task, trainer: trainer, settings: settings, output: URL(fileURLWithPath: "out"))
/// let best = try run.train()      // the evaluation of the model written to out/model
/// ```
public final class FineTuningRun {
    public let task: any FineTuningTask
    public let trainer: FineTuningTrainer
    public let settings: FineTuningRunSettings
    public let output: URL
    public private(set) var cursor: DataCursor
    public var progress: ProgressLine
    public let metrics: MetricsLog
    /// TensorBoard scalars in `output` (rank 0 only): `train/loss`, `train/lr`, `train/grad_norm`,
    /// `train/examples_per_s` at every logged step and `eval/<metric>` at every evaluation — the
    /// figures of `metrics.jsonl`, so `tensorboard --logdir output` shows the run.
    public let board: TensorBoardWriter?
    /// Training examples per second of the optimizer steps alone (evaluation excluded).
    public private(set) var trainingExamplesPerSecond = 0.0

    public init(task: any FineTuningTask, trainer: FineTuningTrainer, settings: FineTuningRunSettings, output: URL,
                progress: ProgressLine? = nil) throws {
        guard settings.batchSize > 0, settings.gradientAccumulation > 0, settings.steps > 0 else {
            throw TrainingError.invalidSetting("batch size, gradient accumulation and steps must be positive")
        }
        guard task.trainCount > 0 else { throw TrainingError.invalidData("the training data has no example") }
        self.task = task
        self.trainer = trainer
        self.settings = settings
        self.output = output
        // Under MPI (trainer.reducer set) rank 0 alone writes files and progress.
        let leader = trainer.reducer?.isLeader ?? true
        self.progress = leader ? progress ?? ProgressLine(totalSteps: settings.steps)
            : ProgressLine(totalSteps: settings.steps, inPlace: false, write: { _ in })
        if let reducer = trainer.reducer, reducer.worldSize > 1 {
            let shapes = task.model.parameters().map { "\($0.value.shape)" }.joined(separator: ",")
            try reducer.synchronize(task.model.parameters(), fingerprint: settings.fingerprint
                + "\nexamples=\(task.trainCount) batch=\(settings.batchSize)x\(settings.gradientAccumulation) steps=\(settings.steps)"
                + " seed=\(settings.seed) parameters=\(shapes)")
        }
        if leader { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        cursor = DataCursor(count: task.trainCount, seed: settings.seed, shuffle: settings.shuffle)
        metrics = try MetricsLog(url: leader ? output.appendingPathComponent("metrics.jsonl") : URL(fileURLWithPath: "/dev/null"),
                                 truncateTo: leader ? 0 : nil)
        board = leader ? try TensorBoardWriter(directory: output) : nil
    }

    /// The task's evaluation; under MPI each process computes the outputs of its contiguous
    /// block of evaluation examples and the blocks are gathered exactly (each process sums a
    /// zero array holding only its block: x + 0 = x), so every process gets the metric of exactly
    /// the outputs one process would compute. Tasks without ``FineTuningTask/evaluationCount``
    /// evaluate whole on every process.
    func evaluate() throws -> TaskEvaluation? {
        guard let reducer = trainer.reducer, reducer.worldSize > 1, task.evaluationCount > 0 else { return try task.evaluate() }
        let count = task.evaluationCount, (rank, world) = (reducer.rank, reducer.worldSize)
        let lower = count * rank / world, upper = count * (rank + 1) / world
        let mine = try task.evaluationOutputs(lower..<upper)
        var widths = [Double](repeating: 0, count: world)
        widths[rank] = Double(mine.first?.count ?? 0)
        let width = Int(try reducer.sum(widths).max()!)
        check(mine.allSatisfy { $0.count == width }, "FineTuningRun.evaluate: outputs of width \(width) expected")
        var flat = [Double](repeating: 0, count: count * width)
        for (k, row) in mine.enumerated() {
            for (j, v) in row.enumerated() { flat[(lower + k) * width + j] = Double(v) }
        }
        let all = try reducer.sum(flat)
        return try task.evaluation(fromOutputs: (0..<count).map { i in (0..<width).map { Float(all[i * width + $0]) } })
    }

    /// Trains `settings.steps` steps (or until early stopping), then writes `output/model`.
    /// - Returns: the evaluation of the written model (nil without evaluation data).
    @discardableResult
    public func train() throws -> TaskEvaluation? {
        let leader = trainer.reducer?.isLeader ?? true
        // Every process draws the global batch from the same cursor and keeps its own slice.
        let (rank, world) = (trainer.reducer?.rank ?? 0, trainer.reducer?.worldSize ?? 1)
        var best: (step: Int, eval: TaskEvaluation)?
        var sinceBest = 0
        var smoothed: Double?
        var trainingSeconds = 0.0, trainedExamples = 0
        let bestDirectory = output.appendingPathComponent("best-model")
        let modelDirectory = output.appendingPathComponent("model")
        var last: TaskEvaluation?
        while trainer.completedSteps < settings.steps {
            let started = Date()
            let micro = (0..<settings.gradientAccumulation).map { _ in
                Array(cursor.next(settings.batchSize * world)[(rank * settings.batchSize)..<((rank + 1) * settings.batchSize)])
            }
            let result = try trainer.step(microBatches: micro.map(\.count), weights: micro.map(task.lossWeight)) {
                try task.trainingLoss(micro[$0])
            }
            let seconds = Date().timeIntervalSince(started)
            trainingSeconds += seconds
            trainedExamples += result.examples
            smoothed = smoothed.map { 0.9 * $0 + 0.1 * seconds } ?? seconds
            let perSecond = Double(result.examples) / max(seconds, 1e-9)
            let step = result.step
            if step % max(1, settings.logEvery) == 0 || step == settings.steps {
                try metrics.append([
                    ("kind", .string("train")), ("step", .int(step)), ("epoch", .double(cursor.epochsRead)),
                    ("loss", .double(result.loss)), ("lr", .double(result.learningRate)),
                    ("grad_norm", .double(result.gradientNorm)), ("examples_per_s", .double(perSecond)),
                    ("rss_mb", .double(ProcessMemory.residentMegabytes)),
                ])
                try board?.add(scalars: [("train/loss", result.loss), ("train/lr", result.learningRate),
                                         ("train/grad_norm", result.gradientNorm), ("train/examples_per_s", perSecond)],
                               step: step)
                progress.update(step: step, body: String(format: "loss %.4f  lr %.2e  %.1f ex/s", result.loss,
                                                         result.learningRate, perSecond), secondsPerStep: smoothed!)
            }
            guard (settings.evalEvery > 0 && step % settings.evalEvery == 0) || step == settings.steps else { continue }
            guard let eval = try evaluate() else { continue }
            last = eval
            try metrics.append([("kind", .string("eval")), ("step", .int(step)), ("epoch", .double(cursor.epochsRead))]
                + eval.metrics.map { ("eval_" + $0.name, MetricValue.double($0.value)) })
            try board?.add(scalars: eval.metrics.map { ("eval/" + $0.name, $0.value) }, step: step)
            progress.message("eval at step \(step): \(eval.text)")
            let improved = best.map { eval.greaterIsBetter ? eval.score > $0.eval.score : eval.score < $0.eval.score } ?? true
            if improved {
                best = (step, eval)
                sinceBest = 0
                if settings.keepBest && step != settings.steps && leader { try task.save(to: bestDirectory) }
            } else {
                sinceBest += 1
                if let patience = settings.patience, sinceBest >= patience {
                    progress.message("early stopping at step \(step): \(eval.primary) has not improved for \(sinceBest) evaluations")
                    break
                }
            }
        }
        progress.finish()
        trainingExamplesPerSecond = Double(trainedExamples) / max(trainingSeconds, 1e-9)
        var written = last
        guard leader else { return settings.keepBest ? best?.eval ?? last : last }
        if settings.keepBest, let best, best.step != trainer.completedSteps,
           FileManager.default.fileExists(atPath: bestDirectory.path) {
            try? FileManager.default.removeItem(at: modelDirectory)
            try FileManager.default.moveItem(at: bestDirectory, to: modelDirectory)
            written = best.eval
            progress.message("kept the model of step \(best.step) (\(best.eval.primary) \(String(format: "%.4f", best.eval.score)))")
        } else {
            try task.save(to: modelDirectory)
            try? FileManager.default.removeItem(at: bestDirectory)
        }
        if let written {
            let body = written.metrics.map { "  \"eval_\($0.name)\": \(MetricValue.double($0.value).json)" }
            let text = "{\n" + (body + ["  \"train_examples_per_s\": \(trainingExamplesPerSecond)"]).joined(separator: ",\n") + "\n}\n"
            try AtomicFile.write(to: output.appendingPathComponent("eval_results.json").path) { try $0.write(Array(text.utf8)) }
        }
        return written
    }
}
