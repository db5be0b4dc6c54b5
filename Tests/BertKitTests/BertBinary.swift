import Foundation

/// The `bert` executable built next to the test bundle, run to completion: the one way the
/// command tests start it. Standard input comes from `input`; standard output and error go to
/// files (two pipes read one after the other can deadlock once the second fills up).
enum BertBinary {
    struct Run { var status: Int32; var reason: Process.TerminationReason; var stdout: String; var stderr: String }

    static var url: URL { Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("bert") }

    /// - Parameters:
    ///   - environment: the child's whole environment; nil: this process's, with Swift's crash
    ///     backtraces off (`SWIFT_BACKTRACE=enable=no`).
    static func run(_ arguments: [String], input: String = "", in directory: URL? = nil,
                    environment: [String: String]? = nil) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bert-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (stdin, stdout, stderr) = (scratch.appendingPathComponent("stdin"), scratch.appendingPathComponent("stdout"),
                                       scratch.appendingPathComponent("stderr"))
        try Data(input.utf8).write(to: stdin)
        try Data().write(to: stdout)
        try Data().write(to: stderr)
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = environment ?? ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, reason: process.terminationReason,
                   stdout: String(decoding: try Data(contentsOf: stdout), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: stderr), as: UTF8.self))
    }
}
