import Foundation

/// Writes the files of a model directory so that a failure never leaves a half-written or
/// mismatched set: everything goes into a staging directory next to the destination first.
///
/// ```swift
/// try CheckpointDirectoryWriter(url).write { staging in
///     try writeSafetensors(tensors, to: staging.appendingPathComponent("model.safetensors"))
///     try config.write(to: staging.appendingPathComponent("config.json"))
/// }
/// ```
struct CheckpointDirectoryWriter {
    let destination: URL

    init(_ destination: URL) { self.destination = destination.standardizedFileURL }

    /// Runs `body` on a fresh staging directory, then moves its files into `destination`: a
    /// rename of the whole directory when `destination` does not exist yet, else one rename
    /// per file. The staging directory is removed whatever happens.
    func write(_ body: (URL) throws -> Void) throws {
        let fileManager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw BertError.cannotWrite(path: destination.path, reason: "exists and is not a directory")
        }
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw BertError.cannotWrite(path: parent.path, reason: "cannot create the directory (\(Self.reason(error)))")
        }
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        guard mkdir(staging.path, 0o755) == 0 else {
            throw BertError.cannotWrite(path: staging.path, reason: String(cString: strerror(errno)))
        }
        defer { try? fileManager.removeItem(at: staging) }
        try body(staging)
        if !exists {
            guard rename(staging.path, destination.path) != 0 else { return }
            // Someone created the destination meanwhile: fall through to per-file renames.
        }
        let names = try fileManager.contentsOfDirectory(atPath: staging.path)
            .sorted { ($0 == "config.json" ? 1 : 0, $0) < ($1 == "config.json" ? 1 : 0, $1) }
        for name in names {
            let target = destination.appendingPathComponent(name).path
            guard rename(staging.appendingPathComponent(name).path, target) == 0 else {
                throw BertError.cannotWrite(path: target, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError { return underlying.localizedDescription }
        return ns.localizedDescription
    }
}
