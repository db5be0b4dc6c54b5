import ArgumentParser
import BertKit
import Foundation
import TensorCore

/// `bert bench train|infer`: throughput on random weights and ids.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure BERT training or inference throughput (random weights and ids).",
        discussion: """
            train: BertForPreTraining, MLM labels on 15% of positions + NSP, forward + backward + \
            global-norm clipping (1.0) + AdamW, dropout on. infer: BertModel forward, no gradient. \
            One warm-up step is not timed. The last line ends in `<number> seq/s`. Compare with \
            PyTorch in the same run: bash Scripts/bench_bert_compare.sh train|infer <same flags>.
            """
    )

    @Argument(help: "train (BertForPreTraining step with AdamW) or infer (BertModel forward).") var mode: String
    @Option(help: "Encoder layers (num_hidden_layers).") var layers: Int = 12
    @Option(help: "Hidden size (hidden_size); a multiple of --heads.") var hidden: Int = 768
    @Option(help: "Attention heads (num_attention_heads).") var heads: Int = 12
    @Option(help: "Feed-forward size (intermediate_size).") var intermediate: Int = 3072
    @Option(help: "Sequences per step.") var batch: Int = 8
    @Option(help: "Tokens per sequence.") var seq: Int = 128
    @Option(help: "Timed steps (after one untimed warm-up step).") var steps: Int = 5
    @Option(help: "Vocabulary size (vocab_size); ids are drawn uniformly below it.") var vocab: Int = 30522
    @Flag(help: "After the timed steps, print a per-section time breakdown of one more step.") var profile = false

    func validate() throws {
        guard ["train", "infer"].contains(mode) else { throw ValidationError("mode must be train or infer") }
        for (n, v) in [("layers", layers), ("hidden", hidden), ("heads", heads), ("intermediate", intermediate),
                       ("batch", batch), ("seq", seq), ("steps", steps), ("vocab", vocab)] where v <= 0 {
            throw ValidationError("--\(n) must be positive, got \(v)")
        }
        guard hidden % heads == 0 else { throw ValidationError("--hidden must be a multiple of --heads") }
        for (flag, value, field) in [("--layers", layers, "num_hidden_layers"), ("--hidden", hidden, "hidden_size"),
                                     ("--heads", heads, "num_attention_heads"),
                                     ("--intermediate", intermediate, "intermediate_size"), ("--vocab", vocab, "vocab_size")] {
            try FlagLimits.range(flag, value, 1...BertConfig.limit(field))
        }
        try FlagLimits.range("--batch", batch, 1...FlagLimits.maxBatch)
        try FlagLimits.range("--seq", seq, 1...FlagLimits.maxSequence)
        try FlagLimits.range("--steps", steps, 1...FlagLimits.maxSteps)
        do { try config.validate() } catch { throw ValidationError("\(error)") }
        // What one step keeps alive, roughly: per layer about 24 floats per token and hidden unit
        // (activations, their gradients) and the attention probabilities.
        try FlagLimits.fits("the activations (--batch × --seq × --hidden × --layers)",
                            floats: [batch, seq, hidden, layers, 24])
        try FlagLimits.fits("the attention probabilities (--batch × --heads × --seq² × --layers)",
                            floats: [batch, heads, seq, seq, layers, 2])
    }

    var config: BertConfig {
        BertConfig(vocabSize: vocab, hiddenSize: hidden, numHiddenLayers: layers,
                   numAttentionHeads: heads, intermediateSize: intermediate,
                   maxPositionEmbeddings: max(512, seq))
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        let config = self.config
        var rng = RandomGenerator(seed: 0)
        let ids = IntTensor((0..<(batch * seq)).map { _ in rng.nextInt(below: vocab) }, shape: [batch, seq])
        let input = try BertInput(inputIds: ids, config: config)
        let step: () throws -> Void
        nonisolated(unsafe) var phases: [(String, Double)] = []  // this command's own timings
        if mode == "train" {
            let model = BertForPreTraining(config: config, generator: &rng)
            model.train()
            let labels = IntTensor(ids.values.map { rng.nextFloat() < 0.15 ? $0 : -100 }, shape: [batch, seq])
            let nsp = IntTensor((0..<batch).map { _ in rng.nextInt(below: 2) }, shape: [batch])
            let params = model.namedParameters().map(\.1)
            let optimizer = AdamW([ParameterGroup(parameters: params, learningRate: 1e-4, weightDecay: 0.01)])
            step = {
                var t = BertProfile.now()
                let lap = { (name: String) in
                    let now = BertProfile.now()
                    phases.append((name, now - t))
                    t = now
                }
                optimizer.zeroGrad()
                let out = try model(input, labels: labels, nextSentenceLabel: nsp)
                lap("forward")
                out.loss!.backward()
                lap("backward")
                // clip_grad_norm_(1.0) + AdamW: the clipping coefficient is applied while AdamW
                // reads the gradients (one pass over them fewer, same update).
                let clip = gradientClipCoefficient(params, maxNorm: 1.0)
                lap("clip grad norm")
                optimizer.step(gradientScale: clip.coefficient)
                lap("AdamW step")
            }
        } else {
            let model = BertModel(config: config, generator: &rng)
            model.eval()
            step = { _ = withNoGrad { model(input) } }
        }
        let timeout = ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"].map { "2^\($0) cycles" } ?? "default"
        print("OpenBLAS \(TensorCore.blasCoreName) kernels, \(TensorCore.blasThreads) threads, worker spin timeout \(timeout)")
        print("bert bench \(mode): L\(layers) H\(hidden) A\(heads) I\(intermediate) B\(batch) S\(seq), "
            + "\(steps) timed steps after 1 warm-up")
        try step()
        let t0 = Date()
        for _ in 0..<steps { try step() }
        let dt = Date().timeIntervalSince(t0)
        if profile {
            phases = []
            let start = BertProfile.now()
            let (_, report) = try BertProfile.measure { try step() }
            let total = BertProfile.now() - start
            print("Per-section time of one more step (\(String(format: "%.3f", total)) s):")
            for (name, seconds) in phases {
                print("  " + name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%9.1f ms %5.1f%%", seconds * 1e3, 100 * seconds / total))
            }
            print(report.report(totalSeconds: total), terminator: "")
        }
        print("peak RSS \(String(format: "%.2f", peakRSSGigabytes())) GB")
        print("swift \(mode) L\(layers) H\(hidden) A\(heads) I\(intermediate) B\(batch) S\(seq): "
            + String(format: "%.3f s/step %.3f seq/s", dt / Double(steps), Double(batch * steps) / dt))
    }
}

/// Peak resident set size of this process (getrusage, Linux reports KB).
func peakRSSGigabytes() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024 / 1024  // KB
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1024 / 1024 / 1024  // bytes
    #endif
}
