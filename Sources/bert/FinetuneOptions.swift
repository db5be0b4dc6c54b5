import ArgumentParser
import BertDistributed
import BertKit
import Foundation
import TensorCore
import Tokenization

/// The flags every `bert finetune` task shares, and the optimizer / schedule / run they build.
struct FinetuneOptions: ParsableArguments {
    @Option(help: "HF model directory to start from (config.json, model.safetensors, vocab.txt or tokenizer.json).")
    var model: String
    @Option(help: "Training file.") var train: String
    @Option(help: "Evaluation file (metrics every --eval-every steps and at the end).") var eval: String?
    @Option(help: "Output directory (model/, metrics.jsonl, eval_results.json).") var output: String
    @Option(help: "Peak learning rate.") var lr = 5e-5
    @Option(help: "Examples per micro-batch.") var batchSize = 32
    @Option(help: "Micro-batches per optimizer step.") var gradAccum = 1
    @Option(help: "Epochs over --train (when --steps is not given).") var epochs = 3
    @Option(help: "Optimizer steps (overrides --epochs).") var steps: Int?
    @Option(help: "Use only the first N training examples.") var trainLimit: Int?
    @Option(help: "Fraction of the steps with linear warmup.") var warmupRatio = 0.0
    @Option(help: "Weight decay (bias and LayerNorm excluded).") var weightDecay = 0.0
    @Option(help: "Clip the global gradient norm (0: off).") var clip = 1.0
    @Option(help: "Maximum tokens per example, special tokens included.") var maxLength = 128
    @Option(help: "Seed of the new head, dropout and data order.") var seed: UInt64 = 42
    @Option(help: "Log every N steps.") var logEvery = 10
    @Option(help: "Evaluate every N steps (0: at the end only).") var evalEvery = 0
    @Option(help: "Write the best model by the task metric (true) or the last one (false).") var keepBest = true
    @Option(help: "Stop after N evaluations without improvement.") var patience: Int?

    func validate() throws {
        try FlagLimits.range("--batch-size", batchSize, 1...FlagLimits.maxBatch)
        try FlagLimits.range("--grad-accum", gradAccum, 1...FlagLimits.maxBatch)
        try FlagLimits.range("--max-length", maxLength, 3...FlagLimits.maxSequence)
        try FlagLimits.range("--epochs", epochs, 1...FlagLimits.maxSteps)
        try FlagLimits.range("--log-every", logEvery, 1...FlagLimits.maxSteps)
        try FlagLimits.range("--eval-every", evalEvery, 0...FlagLimits.maxSteps)
        if let steps { try FlagLimits.range("--steps", steps, 1...FlagLimits.maxSteps) }
        if let trainLimit { try FlagLimits.range("--train-limit", trainLimit, 1...Int.max) }
        if let patience { try FlagLimits.range("--patience", patience, 1...FlagLimits.maxSteps) }
        guard lr > 0, lr.isFinite, clip >= 0, weightDecay >= 0, (0...1).contains(warmupRatio) else {
            throw ValidationError("--lr must be > 0, --clip and --weight-decay ≥ 0, --warmup-ratio in 0...1")
        }
    }

    /// `--max-length`, lowered (with a warning) to a position table of `positions` entries (the
    /// model's `max_position_embeddings`), as run_glue.py does.
    func maxLength(forPositions positions: Int) -> Int {
        guard maxLength > positions else { return maxLength }
        DistributedLaunch.warn("warning: --max-length \(maxLength) exceeds the model's max_position_embeddings "
            + "\(positions); using \(positions)")
        return positions
    }

    /// Steps for `count` training examples.
    func totalSteps(examples count: Int) -> Int {
        steps ?? epochs * ((count + batchSize * gradAccum - 1) / (batchSize * gradAccum))
    }

    /// AdamW over `model` (decay on all but bias/LayerNorm), linear warmup then decay, and the run.
    /// Under `mpirun` (`mpi` with several processes) the trainer reduces over the processes and the
    /// command line is the settings fingerprint every rank must share.
    func run(task: any FineTuningTask, mpi: MPIRuntime? = nil) throws -> FineTuningRun {
        let total = totalSteps(examples: task.trainCount)
        let groups = ParameterGroup.excludingWeightDecay(task.model.namedParameters(), learningRate: lr, weightDecay: weightDecay)
        let trainer = FineTuningTrainer(model: task.model, optimizer: AdamW(groups),
                                        schedule: .linear(warmupSteps: Int((warmupRatio * Double(total)).rounded(.up)), totalSteps: total),
                                        maxGradientNorm: clip > 0 ? clip : nil)
        trainer.reducer = try DistributedLaunch.reducer(mpi, model: task.model)
        var settings = FineTuningRunSettings(batchSize: batchSize, steps: total)
        // One line per flag and its values, so a mismatch names the flag ("rank 0 has --seed 1, …").
        settings.fingerprint = CommandLine.arguments.dropFirst().map { $0.hasPrefix("--") ? "\n" + $0 : " " + $0 }.joined()
        settings.gradientAccumulation = gradAccum
        settings.seed = seed
        settings.logEvery = logEvery
        settings.evalEvery = evalEvery
        settings.keepBest = keepBest
        settings.patience = patience
        return try FineTuningRun(task: task, trainer: trainer, settings: settings, output: URL(fileURLWithPath: output))
    }

    /// Runs `body`, turning the library's typed errors into a CLI message (exit code 64, no stack).
    static func reporting<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as FineTuningError { throw ValidationError(e.description) } catch let e as TrainingError {
            throw ValidationError(e.description)
        } catch let e as BertError { throw ValidationError(e.description) } catch let e as TokenizationError {
            throw ValidationError(e.description)
        }
    }
}
