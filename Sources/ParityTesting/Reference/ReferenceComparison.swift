import Foundation
import TensorCore
import BertKit

/// A model checked against a reference dump in one call: every output in forward order (layer
/// by layer), the loss and the gradient of every named parameter, with the first output that
/// diverges named — the question a person debugging a port asks.
///
/// ```swift
/// let dump = try ReferenceDump(contentsOf: url)                  // from Scripts/dump_reference.py
/// let model = try BertModelDirectory(dir).loadBertModel()
/// let report = try ReferenceComparison(model, dump)
/// #expect(report.passed, "\(report)")                           // or expectParity(report)
/// report.firstDivergence?.label                                 // "encoder layer 1 output"
/// ```
/// Running it sets the model to eval mode, clears its gradients, loads the dump's `param.*`
/// tensors (weights the checkpoint did not have, such as a new classifier) unless
/// `loadNewParameters` is false, runs forward and backward, and leaves the gradients in place.
public struct ReferenceComparison: ParityReport, @unchecked Sendable {
    /// One output compared, in forward order.
    public struct Stage: Sendable {
        /// The dump name (`hidden_states.2`).
        public var key: String
        /// What it is (`encoder layer 1 output`).
        public var label: String
        public var comparison: TensorComparison
    }

    /// The dump file.
    public var dumpPath: String
    /// The reference class (`BertForSequenceClassification`) and transformers version.
    public var architecture: String
    public var referenceVersion: String
    /// Every output the dump and the model share, in forward order, then the loss.
    public var stages: [Stage]
    /// Outputs of the dump that the model did not produce.
    public var missingOutputs: [String]
    /// Gradients by parameter name; nil when the dump has none.
    public var gradients: TensorMapComparison?
    public var tolerances: ReferenceTolerances

    /// The first output (in forward order) outside the tolerance.
    public var firstDivergence: Stage? { stages.first { !$0.comparison.passed } }
    public var passed: Bool {
        firstDivergence == nil && missingOutputs.isEmpty && (gradients?.passed ?? true)
    }

    /// Runs `model` on the dump and compares everything (see the type's documentation).
    /// - Throws: ``ReferenceDumpError`` when the dump is for another head or lacks an input,
    ///   and the model's own errors for inputs or labels it rejects.
    public init<M: ReferenceComparable>(_ model: M, _ dump: ReferenceDump, tolerances: ReferenceTolerances = .init(),
                                        loadNewParameters: Bool = true) throws {
        guard dump.head == M.referenceHead else {
            throw ReferenceDumpError.headMismatch(path: dump.url.path, dumpHead: dump.head, modelHead: M.referenceHead)
        }
        if loadNewParameters, !dump.newParameters.isEmpty {
            try BertCheckpoint.load(dump.newParameters, into: model, strict: false)
        }
        model.eval()
        model.zeroGrad()
        let run = try model.referenceRun(dump)
        let wantsGradients = !dump.gradients.isEmpty
        if wantsGradients, let loss = run.loss { loss.backward() }

        dumpPath = dump.url.path
        architecture = dump.architecture
        referenceVersion = dump.metadata["transformers_version"].map { "transformers \($0)" } ?? ""
        self.tolerances = tolerances
        let expected = dump.outputs.merging(run.expectedOverrides) { _, new in new }
        let order = Self.forwardOrder(expected.keys, layers: dump.layerCount)
        stages = order.compactMap { key in
            guard let actual = run.outputs[key], let want = expected[key] else { return nil }
            return Stage(key: key, label: Self.label(of: key),
                         comparison: TensorComparison(actual, want, tolerance: tolerances.forward, name: key))
        }
        missingOutputs = order.filter { run.outputs[$0] == nil }
        if let want = dump.loss {
            if let got = run.loss {
                stages.append(Stage(key: "loss", label: "loss", comparison: TensorComparison(
                    got.reshape([]), want.reshape([]), tolerance: tolerances.loss, name: "loss")))
            } else {
                missingOutputs.append("loss")
            }
        }
        gradients = nil
        if wantsGradients {
            let wantGrads = dump.gradients
            var got: [String: Tensor] = [:]
            for (name, p) in model.namedParameters() { got[name] = p.grad ?? Tensor.zeros(p.shape) }
            let everyGradient = dump.metadata["grads"].map { $0 == "all" } ?? true
            let tolerances = self.tolerances
            let maxAbs = wantGrads.mapValues { Double($0.toArray().lazy.map(abs).max() ?? 0) }
            let parameterOrder = model.namedParameters().map(\.0)
            gradients = TensorMapComparison(got, wantGrads, order: parameterOrder, unexpectedKeysFail: everyGradient,
                                            toleranceFor: { tolerances.gradient(maxAbs: maxAbs[$0] ?? 0) })
        }
    }

    /// Forward order: embeddings, then per layer its attention and output, then the pooler and
    /// the head outputs (sorted).
    static func forwardOrder(_ keys: Dictionary<String, Tensor>.Keys, layers: Int) -> [String] {
        var order = ["hidden_states.0"]
        for i in 0..<layers { order += ["attentions.\(i)", "hidden_states.\(i + 1)"] }
        order.append("pooler_output")
        let known = Set(order)
        return order.filter { keys.contains($0) } + keys.filter { !known.contains($0) }.sorted()
    }

    /// A readable name for a dump output.
    static func label(of key: String) -> String {
        if key == "hidden_states.0" { return "embeddings output" }
        if key.hasPrefix("hidden_states."), let i = Int(key.dropFirst("hidden_states.".count)) {
            return "encoder layer \(i - 1) output"
        }
        if key.hasPrefix("attentions."), let i = Int(key.dropFirst("attentions.".count)) {
            return "encoder layer \(i) attention probabilities"
        }
        if key == "pooler_output" { return "pooler output" }
        return "head output \(key)"
    }

    public var description: String {
        var lines: [String] = []
        let name = URL(fileURLWithPath: dumpPath).lastPathComponent
        lines.append("reference parity \(passed ? "passed" : "FAILED"): \(architecture) against \(name)"
                     + (referenceVersion.isEmpty ? "" : " (\(referenceVersion))"))
        if let first = firstDivergence {
            lines.append("first divergence: \(first.label) (\(first.key))")
        }
        if !missingOutputs.isEmpty {
            lines.append("outputs in the dump that the model did not produce: \(missingOutputs.joined(separator: ", "))")
        }
        lines.append("forward (\(tolerances.forward)):")
        for s in stages {
            let mark = s.comparison.passed ? "ok  " : "FAIL"
            lines.append("  \(mark) \(s.label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(s.comparison.summary)")
        }
        if let first = firstDivergence {
            lines.append(first.comparison.description.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        }
        if let g = gradients {
            let scale = "\(tolerances.gradientScale) × max(max|reference|, \(tolerances.gradientFloor))"
            if g.passed {
                lines.append("gradients: \(g.entries.count) parameters close (|diff| ≤ \(scale))")
            } else {
                let failed = g.failures.map(\.name).reversed()  // backward order: head first
                lines.append("gradients: \(failed.count) of \(g.entries.count) parameters differ (|diff| ≤ \(scale)), "
                             + "in backward order: "
                             + failed.prefix(12).joined(separator: ", ") + (failed.count > 12 ? ", …" : ""))
                if !g.missing.isEmpty { lines.append("  no gradient in the model for: \(g.missing.joined(separator: ", "))") }
                if g.unexpectedKeysFail && !g.unexpected.isEmpty {
                    lines.append("  parameters the reference does not have: \(g.unexpected.joined(separator: ", "))")
                }
                if let worst = g.failures.last { lines.append(worst.description.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")) }
            }
        }
        return lines.joined(separator: "\n")
    }
}
