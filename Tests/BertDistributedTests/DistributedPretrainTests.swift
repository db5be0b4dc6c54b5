import BertKit
import Foundation
import Testing

/// `mpirun -np 2 bert pretrain` against one process: the same loss trajectory with the same
/// global batch, rank-0-only output, resume across a change of world size, a killed rank
/// stopping the job, and mismatched flags refused at start.
@Suite(.serialized, .enabled(if: MPITest.available, Comment(rawValue: MPITest.skipMessage)))
struct DistributedPretrainTests {
    /// Removes the newest checkpoint of a finished run so `--resume` redoes the last steps.
    func dropLastCheckpoint(_ run: URL) throws {
        let checkpoints = run.appendingPathComponent("checkpoints")
        let last = try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).sorted().last!
        try FileManager.default.removeItem(at: checkpoints.appendingPathComponent(last))
        try FileManager.default.removeItem(at: run.appendingPathComponent("model"))
    }

    func copy(_ run: URL, to name: String) throws -> URL {
        let target = run.deletingLastPathComponent().appendingPathComponent(name)
        try FileManager.default.copyItem(at: run, to: target)
        return target
    }

    @Test func twoRanksFollowOneProcessWithTheDoubledBatchAndResumeAcrossWorldSizes() throws {
        let directory = try MPITest.temporaryDirectory("mpi-trajectory")
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = try DistributedTestData.prepare(directory) + ["--steps", "50", "--save-every", "10"]
        let runs = try DistributedTestData.doubledBatchRuns(common, in: directory)
        let (one, two, pair, worst, a) = (runs.one, runs.two, runs.pair, runs.worstRelativeLoss, runs.singleLosses)
        print("2 ranks × batch 4 vs 1 process × batch 8, dropout 0: largest relative loss difference over 50 steps \(worst)")
        #expect(worst <= 1e-5)
        // Evaluation split over the ranks sees every example once: the same figures.
        let evalA = try DistributedTestData.evals(one), evalB = try DistributedTestData.evals(two)
        #expect(evalA.count == 1 && evalB.count == 1)
        #expect(evalA.first?["eval_mlm_accuracy"] as? Double == evalB.first?["eval_mlm_accuracy"] as? Double)
        let lossA = evalA.first?["eval_mlm_loss"] as? Double ?? 0, lossB = evalB.first?["eval_mlm_loss"] as? Double ?? 1
        #expect(abs(lossA - lossB) / lossA <= 1e-5)
        // Rank 0 alone writes: exactly the single-process layout, one progress stream.
        // (TensorBoard event files are named after the host and process, so compare kinds of entries.)
        func layout(_ url: URL) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: url.path).map {
                $0.hasPrefix("events.out.tfevents.") ? "events.out.tfevents.*" : $0
            }.sorted()
        }
        #expect(try layout(two) == layout(one))
        #expect(try layout(two).contains("metrics.jsonl") && layout(two).contains("model"))
        #expect(pair.stderr.components(separatedBy: "model written to").count - 1 == 1, "\(pair.stderr)")
        // A checkpoint of 2 ranks resumed by 1 process, and one of 1 process by 2 ranks.
        let twoToOne = try copy(two, to: "two-to-one"), oneToTwo = try copy(one, to: "one-to-two")
        try dropLastCheckpoint(twoToOne)
        try dropLastCheckpoint(oneToTwo)
        let resumedOne = try MPITest.bert(common + ["--batch-size", "8", "--output", twoToOne.path, "--resume"])
        #expect(resumedOne.status == 0, "\(resumedOne.stderr)")
        #expect(resumedOne.stderr.contains("at step 40"), "\(resumedOne.stderr)")
        let resumedTwo = try MPITest.mpi(2, "bert", common + ["--batch-size", "4", "--output", oneToTwo.path, "--resume"])
        #expect(resumedTwo.status == 0, "\(resumedTwo.stderr)")
        let c = try DistributedTestData.losses(twoToOne), d = try DistributedTestData.losses(oneToTwo)
        #expect(c.count == 50 && d.count == 50)
        #expect(DistributedTestData.worstRelative(a, c, steps: 41...50) <= 1e-5)
        #expect(DistributedTestData.worstRelative(a, d, steps: 41...50) <= 1e-5)
    }

    @Test func killedRankStopsTheJobAndTheLastCheckpointResumes() throws {
        let directory = try MPITest.temporaryDirectory("mpi-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("run")
        let arguments = try DistributedTestData.prepare(directory)
            + ["--steps", "80", "--save-every", "5", "--batch-size", "4", "--output", output.path]
        let job = MPITest.process(MPITest.mpirun!, MPITest.mpiArguments(2, "bert", arguments))
        let err = Pipe()
        job.standardError = err
        job.standardOutput = FileHandle.nullDevice
        try job.run()
        let metrics = output.appendingPathComponent("metrics.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while job.isRunning && (try? MetricsLog.read(metrics).count) ?? 0 < 12 && Date() < deadline { usleep(5_000) }
        let victim = MPITest.child(of: job.processIdentifier, rank: 1)
        #expect(job.isRunning && victim != nil, "the job ended before rank 1 could be killed")
        let killed = Date()
        if let victim { kill(victim, SIGKILL) }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        job.waitUntilExit()
        let seconds = Date().timeIntervalSince(killed)
        print("rank 1 killed: the job stopped after \(String(format: "%.2f", seconds)) s")
        #expect(job.terminationStatus != 0)
        #expect(seconds < 15, "the job took \(seconds) s to stop")
        #expect(message.contains("rank 1") && message.contains("signal 9"), "\(message.suffix(600))")
        let steps = try DistributedTestData.losses(output).keys.max() ?? 0
        #expect(steps < 80)
        let resumed = try MPITest.mpi(2, "bert", arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let records = try MetricsLog.read(metrics).filter { $0["kind"] as? String == "train" }.map { $0["step"] as! Int }
        #expect(records == Array(1...80), "missing or repeated steps after the resume")
    }

    @Test func ranksWithDifferentFlagsAreRefusedAtStart() throws {
        let directory = try MPITest.temporaryDirectory("mpi-mismatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("run")
        let common = try DistributedTestData.prepare(directory) + ["--steps", "5", "--batch-size", "4", "--output", output.path]
        let bert = MPITest.products.appendingPathComponent("bert").path
        // MPMD: rank 0 and rank 1 get different learning rates.
        let run = try MPITest.run(MPITest.mpirun!, ["--oversubscribe", "--allow-run-as-root", "-np", "1", bert] + common
                                  + ["--lr", "1e-3", ":", "-np", "1", bert] + common + ["--lr", "2e-3"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("rank 0 has lr=0.001, rank 1 has lr=0.002"), "\(run.stderr.suffix(800))")
        #expect(run.stderr.contains("stopping all processes"), "\(run.stderr.suffix(800))")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("checkpoints").path))
    }
}
