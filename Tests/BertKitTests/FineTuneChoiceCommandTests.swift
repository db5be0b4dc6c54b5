import Foundation
import Testing
import BertKit

/// `bert finetune choice` and `bert predict --task choice` on the tiny model: the run learns the
/// synthetic task of ``FineTuneChoiceTests`` (accuracy well above the untrained model's), the
/// model directory, metrics and predictions are written, and a bad file stops the command with
/// its path and line before anything is written.
@Suite(.serialized) struct FineTuneChoiceCommandTests {
    static func run(_ arguments: [String]) throws -> BertBinary.Run { try BertBinary.run(arguments) }

    static func accuracy(_ stdout: String) throws -> Double {
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(metrics["accuracy"] as? Double)
    }

    @Test func finetuneThenPredict() throws {
        let dir = try FineTuneClassifyTests.directory("choice-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try FineTuneClassifyTests.write(FineTuneChoiceTests.swagCSV(256, seed: 5), dir.appendingPathComponent("train.csv"))
        let dev = try FineTuneClassifyTests.write(try FineTuneChoiceTests.genericJSONL(64, seed: 6), dir.appendingPathComponent("dev.jsonl"))
        let untrained = dir.appendingPathComponent("untrained.tsv")
        // The starting point: the pretrained encoder with a new, random choice head.
        let u = try Self.run(["predict", "--task", "choice", "--model", FineTuneClassifyTests.model.path, "--input", dev.path,
                              "--output", untrained.path, "--max-length", "24"])
        #expect(u.status == 0 && u.stderr.contains("newly initialized"), "\(u.stderr)")
        let before = try Self.accuracy(u.stdout)

        let output = dir.appendingPathComponent("out")
        let r = try Self.run(["finetune", "choice", "--model", FineTuneClassifyTests.model.path, "--train", train.path,
                              "--eval", dev.path, "--output", output.path, "--steps", "96", "--batch-size", "16",
                              "--lr", "3e-3", "--max-length", "24", "--warmup-ratio", "0.05", "--eval-every", "32"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("newly initialized") && r.stderr.contains("model written to"), "\(r.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("eval_results.json"))) as? [String: Any])
        let accuracy = try #require(results["eval_accuracy"] as? Double)
        #expect(accuracy >= 0.9 && accuracy > before + 0.4, "accuracy \(accuracy), untrained \(before)")
        let model = output.appendingPathComponent("model")
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent(name).path), "\(name)")
        }
        let records = try MetricsLog.read(output.appendingPathComponent("metrics.jsonl"))
        #expect(records.filter { $0["kind"] as? String == "eval" }.count == 3)

        // Predictions of the written model: the run's accuracy, one row per example.
        let predictions = dir.appendingPathComponent("pred.tsv")
        let p = try Self.run(["predict", "--task", "choice", "--model", model.path, "--input", dev.path,
                              "--output", predictions.path, "--max-length", "24"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(try Self.accuracy(p.stdout) == accuracy)
        let rows = try String(contentsOf: predictions, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 65 && rows[0] == "index\tprediction\tscore")
        let labels = try MultipleChoiceFile(url: dev).examples.map { $0.label! }
        var right = 0
        for (k, row) in rows.dropFirst().enumerated() {
            let f = row.split(separator: "\t")
            #expect(f.count == 3 && f[0] == "\(k)")
            let choice = try #require(Int(f[1])), score = try #require(Double(f[2]))
            #expect((0..<4).contains(choice) && score >= 0.25 && score <= 1, "row \(k): \(row)")
            if choice == labels[k] { right += 1 }
        }
        #expect(Double(right) / 64 == accuracy)

        // An unlabelled file: predictions only, no metrics.
        let test = try FineTuneClassifyTests.write(FineTuneChoiceTests.swagCSV(5, seed: 7, labelled: false), dir.appendingPathComponent("test.csv"))
        let t = try Self.run(["predict", "--task", "choice", "--model", model.path, "--input", test.path,
                              "--output", dir.appendingPathComponent("test.tsv").path, "--max-length", "24"])
        #expect(t.status == 0 && t.stdout.isEmpty, "\(t.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("test.tsv"), encoding: .utf8).split(separator: "\n").count == 6)
    }

    @Test func badInputStopsWithFileAndLine() throws {
        let dir = try FineTuneClassifyTests.directory("choice-cli-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out")
        let common = ["finetune", "choice", "--model", FineTuneClassifyTests.model.path, "--output", output.path, "--steps", "2"]
        let good = FineTuneChoiceTests.swagCSV(4, seed: 1)
        var lines = good.components(separatedBy: "\r\n")
        lines[3] = lines[3].replacingOccurrences(of: ",gold,", with: ",gold,extra,")
        let bad = try FineTuneClassifyTests.write(lines.joined(separator: "\r\n"), dir.appendingPathComponent("bad.csv"))
        var r = try Self.run(common + ["--train", bad.path])
        #expect(r.status == 64 && r.stderr.contains("\(bad.path):4: 13 comma-separated fields, the header has 12"), "\(r.stderr)")
        let train = try FineTuneClassifyTests.write(good, dir.appendingPathComponent("train.csv"))
        let dev = try FineTuneClassifyTests.write(#"{"context": "w1 w2", "endings": ["w3", "w4"], "label": 2}"# + "\n",
                                                  dir.appendingPathComponent("dev.jsonl"))
        r = try Self.run(common + ["--train", train.path, "--eval", dev.path])
        #expect(r.status == 64 && r.stderr.contains("\(dev.path):1: label 2 is outside 0..<2"), "\(r.stderr)")
        let p = try Self.run(["predict", "--task", "choice", "--model", FineTuneClassifyTests.model.path, "--input", bad.path,
                              "--output", dir.appendingPathComponent("pred.tsv").path])
        #expect(p.status == 64 && p.stderr.contains("\(bad.path):4:"), "\(p.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pred.tsv").path))
    }
}
