import Foundation
import Testing
import BertKit
import TensorCore

/// What the `bert` executable does before its real work: the OpenBLAS restart
/// (`TensorCore.configureBLASForThisProcess()`, reported by `bench`) and `demo` finding its model.
@Suite struct CommandSettingsTests {
    static func run(_ arguments: [String], environment: [String: String], directory: URL? = nil) throws -> BertBinary.Run {
        try BertBinary.run(arguments, in: directory, environment: environment)
    }

    /// The environment of this test without any OpenBLAS or opt-out variable.
    static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { k, _ in
            !k.hasPrefix("OPENBLAS_") && k != TensorCore.keepBLASSettingsVariable && k != "BERT_MINILM_DIR"
        }
    }

    static let tinyBench = ["bench", "infer", "--layers", "1", "--hidden", "16", "--heads", "2", "--intermediate", "32",
                            "--batch", "1", "--seq", "8", "--steps", "1", "--vocab", "50"]

    /// Started without the variables, bench restarts itself once with OPENBLAS_THREAD_TIMEOUT=4
    /// and reports the core OpenBLAS picked: the recommended one when this CPU has one, else
    /// the one it detects (the test process's own, as this test runs without OPENBLAS_CORETYPE).
    @Test func benchRestartsWithTheRecommendedSettings() throws {
        let r = try Self.run(Self.tinyBench, environment: Self.cleanEnvironment)
        #expect(r.status == 0, "\(r.stderr)")
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasSuffix("worker spin timeout 2^4 cycles"), "\(first)")
        #expect(r.stdout.components(separatedBy: "OpenBLAS ").count == 2, "printed once: \(r.stdout)")
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
            let core = TensorCore.suggestedBLASCoreType ?? TensorCore.blasCoreName
            #expect(first.hasPrefix("OpenBLAS \(core) kernels"), "\(first)")
        }
        // A variable set by the caller is kept; the opt-out keeps everything as it is.
        var keep = Self.cleanEnvironment
        keep["OPENBLAS_THREAD_TIMEOUT"] = "2"
        #expect(try Self.run(Self.tinyBench, environment: keep).stdout.contains("worker spin timeout 2^2 cycles"))
        keep = Self.cleanEnvironment
        keep[TensorCore.keepBLASSettingsVariable] = "1"
        #expect(try Self.run(Self.tinyBench, environment: keep).stdout.contains("worker spin timeout default"))
    }

    /// From any directory, demo finds the checkout's model; BERT_MINILM_DIR or --model pointing
    /// nowhere is an error naming the path and saying what to do.
    @Test func demoFindsItsModelFromAnyDirectory() throws {
        guard let url = try MiniLMTests.presentDirectory() else { return }
        let elsewhere = FileManager.default.temporaryDirectory
        let r = try Self.run(["demo"], environment: Self.cleanEnvironment, directory: elsewhere)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Loaded \(url.standardizedFileURL.path)") || r.stdout.hasPrefix("Loaded \(url.path)"),
                "\(r.stdout.prefix(200))")
        var environment = Self.cleanEnvironment
        environment["BERT_MINILM_DIR"] = "/nonexistent/minilm"
        let missing = try Self.run(["demo"], environment: environment, directory: elsewhere)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/minilm") && missing.stderr.contains("--model"), "\(missing.stderr)")
        let option = try Self.run(["demo", "--model", "/nonexistent/other"], environment: Self.cleanEnvironment)
        #expect(option.status != 0 && option.stderr.contains("/nonexistent/other"), "\(option.stderr)")
    }

    @Test func demoHelpShowsNoDefaultTwice() throws {
        let r = try Self.run(["demo", "--help"], environment: Self.cleanEnvironment)
        #expect(r.status == 0)
        #expect(!r.stdout.contains("(default:"), "\(r.stdout)")
        let bench = try Self.run(["bench", "--help"], environment: Self.cleanEnvironment)
        for option in ["--layers", "--hidden", "--heads", "--intermediate", "--batch", "--seq", "--steps", "--vocab"] {
            let line = bench.stdout.split(separator: "\n").first { $0.contains(option + " <") } ?? ""
            #expect(line.count > option.count * 2 + 12, "help text for \(option): \(line)")
        }
    }
}
