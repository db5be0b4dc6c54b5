import Foundation
import Testing

/// A fresh temporary directory for one malformed-input case, with a listing to prove that a
/// failure left nothing behind.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let target = path(name)
        try Data(bytes).write(to: target)
        return target
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL { try write(name, Array(text.utf8)) }

    /// A FIFO named `name` (nobody ever writes to it: opening it for reading would block).
    @discardableResult
    func fifo(_ name: String) throws -> URL {
        let target = path(name)
        guard mkfifo(target.path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return target
    }

    /// Every name in the directory, hidden ones included, recursively.
    func listing() -> [String] {
        let e = FileManager.default.enumerator(atPath: url.path)
        var names: [String] = []
        while let name = e?.nextObject() as? String { names.append(name) }
        return names.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A description check: the message names `path` and contains every fragment.
func expectMessage(_ message: String, names path: String, _ fragments: [String], _ what: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(message.contains(path), "\(what): the message does not name \(path): \(message)",
            sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(message.contains(fragment), "\(what): '\(fragment)' missing from: \(message)",
                sourceLocation: sourceLocation)
    }
    #expect(!message.contains("NSCocoaErrorDomain") && !message.contains("Code="),
            "\(what): a Foundation error code leaked: \(message)", sourceLocation: sourceLocation)
}

/// The `bert` executable built next to the test bundle.
enum BertBinary {
    struct Run { var status: Int32; var reason: Process.TerminationReason; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], input: String = "", in directory: URL? = nil) throws -> Run {
        let stdin = FileManager.default.temporaryDirectory.appendingPathComponent("stdin-\(UUID().uuidString)")
        try Data(input.utf8).write(to: stdin)
        defer { try? FileManager.default.removeItem(at: stdin) }
        let process = Process()
        process.executableURL = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("bert")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, reason: process.terminationReason,
                   stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
