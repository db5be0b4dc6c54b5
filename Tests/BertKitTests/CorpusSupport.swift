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

/// Runs `read`, which must throw an `E` whose message names `path` and holds every fragment
/// (``expectMessage(_:names:_:_:sourceLocation:)``); an error of another type fails the test by
/// propagating, and no error at all is recorded as "`what`: accepted".
func expectRefusal<E: Error & CustomStringConvertible>(
    _: E.Type, names path: String, _ fragments: [String], _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation, _ read: () throws -> Void
) throws {
    do {
        try read()
        Issue.record("\(what): accepted", sourceLocation: sourceLocation)
    } catch let error as E {
        expectMessage(error.description, names: path, fragments, what, sourceLocation: sourceLocation)
    }
}
