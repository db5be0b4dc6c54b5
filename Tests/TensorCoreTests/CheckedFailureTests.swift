import Foundation
import Testing

/// Programmer errors name the op and both shapes in the build people run: each case runs a
/// TensorCore op with mismatched shapes in a child process (the `CheckProbe` helper executable,
/// built next to the tests in the same configuration) and reads what it printed before it
/// stopped. Run with `swift test -c release` (as `Scripts/test.sh` does) this is the release
/// build, where `precondition` would print nothing at all.
@Suite struct CheckedFailureTests {
    static var probe: URL {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("CheckProbe")
    }

    struct Outcome { var reason: Process.TerminationReason; var status: Int32; var stderr: String }

    static func run(_ name: String) throws -> Outcome {
        let process = Process()
        process.executableURL = probe
        process.arguments = [name]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"      // just the message, no symbolicated backtrace
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(reason: process.terminationReason, status: process.terminationStatus,
                       stderr: String(decoding: data, as: UTF8.self))
    }

    /// (case, fragments the message must contain: the op name and both shapes).
    static let cases: [(String, [String])] = [
        ("matmul", ["matmul:", "[2, 3]", "[4, 5]"]),
        ("add", ["add:", "[2, 3]", "[4, 5]"]),
        ("mul", ["mul:", "[2, 3]", "[3, 2]"]),
        ("reshape", ["reshape:", "6 elements", "[4, 2]"]),
        ("crossEntropy", ["crossEntropy:", "[3]", "[2, 3]"]),
        ("embedding", ["embedding:", "index 7", "[4, 2]", "[1]"]),
        ("linear", ["linear:", "[2, 3]", "[5, 4]"]),
        ("layerNorm", ["layerNorm:", "[4]", "[2, 3]"]),
        ("concat", ["concat:", "[2, 3]", "[2, 4]"]),
        ("mseLoss", ["mseLoss:", "[2, 3]", "[3, 2]"]),
        ("attention", ["scaledDotProductAttention:", "[1, 2, 3, 4]", "[1, 2, 3, 5]"]),
        ("permute", ["permute:", "[0, 0]", "[2, 3]"]),
    ]

    @Test(arguments: cases)
    func failingOpNamesItselfAndTheShapes(name: String, fragments: [String]) throws {
        let outcome = try Self.run(name)
        #expect(outcome.reason == .uncaughtSignal, "\(name) must stop the process: \(outcome.stderr)")
        #expect(outcome.stderr.contains("Fatal error:"), "\(name): \(outcome.stderr)")
        for fragment in fragments {
            #expect(outcome.stderr.contains(fragment), "\(name): '\(fragment)' missing from: \(outcome.stderr)")
        }
    }

    @Test func unknownCaseIsRefusedWithoutAFailure() throws {
        let outcome = try Self.run("no-such-op")
        #expect(outcome.reason == .exit && outcome.status == 2)
    }
}
