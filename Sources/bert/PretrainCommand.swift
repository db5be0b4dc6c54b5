import ArgumentParser
import BertDistributed
import BertKit
import Foundation
import TensorCore
import Tokenization

/// `bert pretrain`: BERT pretraining (MLM + NSP) from prepared instances to an HF model
/// directory, with checkpoints, bit-exact `--resume`, metrics.jsonl and a progress line.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain BERT (masked LM + next sentence) and write an HF model directory.",
        discussion: """
            --data is prepared shards (a directory of .bkpt files or one file, from bert pretraining-data; \
            shards made with --dynamic-masking get fresh masks every batch), an instances .jsonl file (bert \
            pretraining-data --format jsonl, or google-research/bert's keys), or raw text (a file or a directory \
            of files, lines are paragraphs, a blank line between documents) prepared in memory at the start \
            and masked dynamically. Shards made with another vocabulary are refused. --eval-data takes the \
            same kinds, always with fixed masks (raw held-out text is masked once, seed 12345). The run writes OUTPUT/metrics.jsonl (one object per logged step, eval records), \
            OUTPUT/checkpoints/step-N (model, optimizer, every random stream, data position; atomic, rotated \
            by --keep-checkpoints) and, at the end, OUTPUT/model (config.json, model.safetensors, vocab.txt) \
            which transformers loads as BertForPreTraining. --resume continues from the newest checkpoint \
            and reproduces the uninterrupted run's losses bit for bit.
            Example: bert pretrain --vocab vocab.txt --data train.jsonl --eval-data heldout.jsonl \
            --layers 4 --hidden 256 --heads 4 --intermediate 1024 --batch-size 32 --steps 1000 --output run
            Data-parallel: mpirun -np N bert pretrain … (see Docs/DISTRIBUTED.md). --batch-size is per process \
            (global batch N × batch size); rank 0 writes every file; a checkpoint resumes with another N when \
            the global batch stays the same.
            """
    )

    @Option(help: "config.json of the model (otherwise --layers/--hidden/--heads/--intermediate).") var config: String?
    @Option(help: "Transformer layers.") var layers = 4
    @Option(help: "Hidden size.") var hidden = 256
    @Option(help: "Attention heads.") var heads = 4
    @Option(help: "Feed-forward size (default 4 × hidden).") var intermediate: Int?
    @Option(help: "vocab.txt (default: the --init-from directory's).") var vocab: String?
    @Option(help: "Training data: shards (directory or .bkpt), instances .jsonl, or raw text (file or directory).")
    var data: String
    @Option(help: "Held-out data (same kinds, fixed masks) for evaluation and samples.") var evalData: String?
    @Flag(help: "Dynamic masking masks whole words (a piece and its ## pieces together).") var wholeWordMask = false
    @Option(help: "Pad every batch to this length (and the model's max positions when built from flags).")
    var maxSeqLength = 128
    @Option(help: "Sequences per micro-batch.") var batchSize = 32
    @Option(help: "Micro-batches per optimizer step.") var gradAccum = 1
    @Option(help: "Peak learning rate.") var lr = 1e-4
    @Option(help: "Linear warmup steps.") var warmupSteps = 0
    @Option(help: "linear | cosine | polynomial | constant (after warmup).") var schedule = "linear"
    @Option(help: "Weight decay (bias and LayerNorm excluded).") var weightDecay = 0.01
    @Option(help: "adamw | bert-adam | lamb.") var optimizer = "adamw"
    @Option(help: "Adam epsilon (default: 1e-8 for adamw, 1e-6 for bert-adam and lamb).") var adamEpsilon: Double?
    @Option(help: "Adam beta1.") var adamBeta1 = 0.9
    @Option(help: "Adam beta2.") var adamBeta2 = 0.999
    @Option(help: "Clip the global gradient norm (0: off).") var clip = 1.0
    @Option(help: "Optimizer steps.") var steps: Int?
    @Option(help: "Epochs over --data (when --steps is not given).") var epochs: Int?
    @Option(help: "Seed of initialisation, dropout and data order.") var seed: UInt64 = 42
    @Option(help: "Shuffle the data every epoch (true|false).") var shuffle = true
    @Option(help: "Start from this HF model directory's weights and config.") var initFrom: String?
    @Option(help: "Log every N steps.") var logEvery = 10
    @Option(help: "Evaluate every N steps (0: at the end only).") var evalEvery = 0
    @Option(help: "Evaluate at most N held-out instances.") var evalLimit: Int?
    @Option(help: "Checkpoint every N steps (0: at the end only).") var saveEvery = 0
    @Option(help: "Checkpoints to keep.") var keepCheckpoints = 2
    @Option(help: "Print a held-out prediction sample every N steps (0: never).") var sampleEvery = 0
    @Option(help: "Train on the first N batches only (a sanity check: the loss should go to ~0).")
    var overfitBatches: Int?
    @Flag(help: "Skip a step with a non-finite loss (counted in metrics) instead of stopping.")
    var skipNonfinite = false
    @Option(help: "Output directory.") var output: String
    @Flag(help: "Continue from the newest checkpoint in --output.") var resume = false

    func validate() throws {
        for (name, value) in [("--batch-size", batchSize), ("--grad-accum", gradAccum), ("--log-every", logEvery),
                              ("--keep-checkpoints", keepCheckpoints), ("--max-seq-length", maxSeqLength)]
        where value <= 0 { throw ValidationError("\(name) must be positive, got \(value)") }
        for (name, value) in [("--eval-every", evalEvery), ("--save-every", saveEvery), ("--sample-every", sampleEvery),
                              ("--warmup-steps", warmupSteps)]
        where value < 0 { throw ValidationError("\(name) must be ≥ 0, got \(value)") }
        guard steps != nil || epochs != nil else { throw ValidationError("give --steps or --epochs") }
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive") }
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive") }
        if let n = overfitBatches, n <= 0 { throw ValidationError("--overfit-batches must be positive") }
        guard ["linear", "cosine", "polynomial", "constant"].contains(schedule) else {
            throw ValidationError("--schedule must be linear, cosine, polynomial or constant, got \(schedule)")
        }
        guard ["adamw", "bert-adam", "lamb"].contains(optimizer) else {
            throw ValidationError("--optimizer must be adamw, bert-adam or lamb, got \(optimizer)")
        }
        guard vocab != nil || initFrom != nil else { throw ValidationError("give --vocab (or --init-from)") }
        guard lr > 0, clip >= 0, weightDecay >= 0 else { throw ValidationError("--lr must be > 0, --clip and --weight-decay ≥ 0") }
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        do {
            try DistributedLaunch.run { try train(mpi: $0) }
        } catch let error as TrainingError {
            throw ValidationError("\(error)")  // exit code 64 with the message, no stack
        }
    }

    func train(mpi: MPIRuntime? = nil) throws {
        let world = mpi?.worldSize ?? 1
        let setup = try PretrainSetup(self)
        let model = setup.model
        let groups = ParameterGroup.excludingWeightDecay(model.namedParameters(), learningRate: lr, weightDecay: weightDecay)
        let betas = (adamBeta1, adamBeta2)
        let optim: any Optimizer = switch optimizer {
        case "bert-adam": AdamWeightDecay(groups, betas: betas, epsilon: adamEpsilon ?? 1e-6)
        case "lamb": LAMB(groups, betas: betas, epsilon: adamEpsilon ?? 1e-6)
        default: AdamW(groups, betas: betas, epsilon: adamEpsilon ?? 1e-8)
        }
        var source: any PretrainingBatchSource = setup.train
        var shuffleData = shuffle
        if let n = overfitBatches {
            source = PrefixBatchSource(source, count: n * batchSize * gradAccum * world)
            shuffleData = false
        }
        let perStep = batchSize * gradAccum * world
        let total = steps ?? epochs! * ((source.count + perStep - 1) / perStep)
        let lrSchedule: LearningRateSchedule = switch schedule {
        case "cosine": .cosine(warmupSteps: warmupSteps, totalSteps: total)
        case "polynomial": .polynomial(warmupSteps: warmupSteps, totalSteps: total, initialLR: lr, endLR: 0)
        case "constant": .constantWithWarmup(warmupSteps: warmupSteps)
        default: .linear(warmupSteps: warmupSteps, totalSteps: total)
        }
        let trainer = PretrainingTrainer(model: model, optimizer: optim, schedule: lrSchedule,
                                         maxGradientNorm: clip > 0 ? clip : nil, skipNonFinite: skipNonfinite)
        trainer.reducer = try DistributedLaunch.reducer(mpi, model: model)
        var settings = PretrainingRunSettings(batchSize: batchSize, steps: total)
        settings.gradientAccumulation = gradAccum
        settings.seed = seed
        settings.shuffle = shuffleData
        settings.logEvery = logEvery
        settings.evalEvery = evalEvery
        settings.saveEvery = saveEvery
        settings.keepCheckpoints = keepCheckpoints
        settings.sampleEvery = sampleEvery
        settings.evalLimit = evalLimit
        let configJSON = String(decoding: try JSONEncoder.sorted.encode(model.config), as: UTF8.self)
        let fingerprint: [String: String] = [
            "config": configJSON, "data": URL(fileURLWithPath: data).standardizedFileURL.path,
            "examples": "\(setup.train.count)", "batch_size": "\(batchSize * world)", "grad_accum": "\(gradAccum)",
            "lr": "\(lr)", "schedule": "\(lrSchedule)", "optimizer": optim.kind, "weight_decay": "\(weightDecay)",
            "clip": "\(clip)", "seed": "\(seed)", "shuffle": "\(shuffleData)", "steps": "\(total)",
            "max_seq_length": "\(maxSeqLength)", "overfit_batches": "\(overfitBatches ?? 0)",
            "whole_word_mask": "\(wholeWordMask)",
            "vocabulary": VocabularyChecksum.hex(VocabularyChecksum.of(try Vocabulary(contentsOf: setup.vocabularyURL))),
        ]
        let run = try PretrainingRun(trainer: trainer, source: source, evalSource: setup.eval, settings: settings,
                                     output: URL(fileURLWithPath: output), vocabulary: setup.vocabularyURL,
                                     fingerprint: fingerprint, resume: resume)
        let eval = try run.train()
        var summary = "model written to \(URL(fileURLWithPath: output).appendingPathComponent("model").path)"
        if let eval { summary += String(format: "; held-out perplexity %.3f, MLM accuracy %.3f", eval.perplexity, eval.mlmAccuracy) }
        run.progress.message(summary)
        if let reducer = trainer.reducer as? MPIGradientReducer { run.progress.message("\(reducer.statistics)") }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
