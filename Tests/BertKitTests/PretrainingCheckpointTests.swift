import Foundation
import Testing
import BertKit
import TensorCore

/// Checkpoints in-process: a run stopped after a checkpoint and resumed writes the same
/// metrics.jsonl losses bit for bit (dropout on, shuffled data); a half-written save
/// (a leftover temporary directory) is ignored; rotation keeps the newest N; the final model
/// directory loads strictly as BertForPreTraining.
@Suite struct PretrainingCheckpointTests {
    static func run(_ output: URL, steps: Int, resume: Bool, keep: Int = 2) throws -> PretrainingRun {
        let model = PretrainingTestData.model()
        let trainer = PretrainingTestData.trainer(model, steps: steps)
        let source = InMemoryBatchSource(PretrainingTestData.examples(40), sequenceLength: 24)
        var settings = PretrainingRunSettings(batchSize: 6, steps: steps)
        settings.gradientAccumulation = 2
        settings.saveEvery = 3
        settings.evalEvery = 4
        settings.keepCheckpoints = keep
        let heldOut = InMemoryBatchSource(PretrainingTestData.examples(10, seed: 9), sequenceLength: 24)
        return try PretrainingRun(trainer: trainer, source: source, evalSource: heldOut, settings: settings,
                                  output: output, vocabulary: nil, fingerprint: ["steps": "\(steps)"], resume: resume,
                                  progress: ProgressLine(totalSteps: steps, inPlace: false, write: { _ in }))
    }

    @Test func resumedRunReproducesTheLossesBitForBit() throws {
        let straight = try PretrainingTestData.temporaryDirectory("straight")
        let interrupted = try PretrainingTestData.temporaryDirectory("interrupted")
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: interrupted) }
        try Self.run(straight, steps: 10, resume: false, keep: 10).train()
        // The state of a run killed after step 7: its checkpoint at 6 (the one at 9 not yet
        // written) and metrics.jsonl with lines past the checkpoint.
        try FileManager.default.createDirectory(at: interrupted.appendingPathComponent("checkpoints"),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: straight.appendingPathComponent("checkpoints/step-00000006"),
                                         to: interrupted.appendingPathComponent("checkpoints/step-00000006"))
        let full = try Data(contentsOf: straight.appendingPathComponent("metrics.jsonl"))
        try full.prefix(full.count * 7 / 10).write(to: interrupted.appendingPathComponent("metrics.jsonl"))
        // A save that was killed half-way: a temporary directory with a truncated file.
        let partial = interrupted.appendingPathComponent("checkpoints/.tmp-step-00000009-999")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: partial.appendingPathComponent("model.safetensors"))
        let resumed = try Self.run(interrupted, steps: 10, resume: true)
        #expect(resumed.resumedFrom?.lastPathComponent == "step-00000006")
        try resumed.train()
        let a = try Data(contentsOf: straight.appendingPathComponent("metrics.jsonl"))
        let b = try Data(contentsOf: interrupted.appendingPathComponent("metrics.jsonl"))
        let la = try PretrainingTestData.trainLosses(straight.appendingPathComponent("metrics.jsonl"))
        let lb = try PretrainingTestData.trainLosses(interrupted.appendingPathComponent("metrics.jsonl"))
        #expect(la.count == 10 && la == lb, "losses differ after resume")
        let evals = { (d: Data) in String(decoding: d, as: UTF8.self).split(separator: "\n").filter { $0.contains("\"eval\"") } }
        #expect(evals(a) == evals(b))
        #expect(try Data(contentsOf: straight.appendingPathComponent("model/model.safetensors"))
                == Data(contentsOf: interrupted.appendingPathComponent("model/model.safetensors")))
        #expect(!FileManager.default.fileExists(atPath: partial.path), "leftover temporary checkpoint not cleaned")
        // Rotation: saves at 3, 6, 9, 10 with keep 2.
        let kept = try FileManager.default.contentsOfDirectory(atPath: interrupted.appendingPathComponent("checkpoints").path).sorted()
        #expect(kept == ["step-00000009", "step-00000010"])
    }

    @Test func resumeRefusesChangedSettingsAndFreshRunRefusesExistingCheckpoints() throws {
        let output = try PretrainingTestData.temporaryDirectory("settings")
        defer { try? FileManager.default.removeItem(at: output) }
        try Self.run(output, steps: 3, resume: false).train()
        #expect(throws: TrainingError.self) { _ = try Self.run(output, steps: 5, resume: true) }
        #expect(throws: TrainingError.self) { _ = try Self.run(output, steps: 3, resume: false) }
    }

    @Test func finalModelDirectoryLoadsStrictly() throws {
        let output = try PretrainingTestData.temporaryDirectory("final")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try Self.run(output, steps: 2, resume: false)
        try run.train()
        try PretrainingTestData.vocabulary().joined(separator: "\n").appending("\n")
            .write(to: output.appendingPathComponent("model/vocab.txt"), atomically: true, encoding: .utf8)
        let loaded = try BertModelDirectory(output.appendingPathComponent("model")).load(BertForPreTraining.self)
        #expect(loaded.report.missing.isEmpty && loaded.report.unexpected.isEmpty)
        for ((name, p), (_, q)) in zip(loaded.model.namedParameters(), run.trainer.model.namedParameters()) {
            #expect(p.value.toArray() == q.value.toArray(), "\(name)")
        }
    }
}
