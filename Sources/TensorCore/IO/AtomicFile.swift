#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

private func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
    open(path, flags)
}

/// A failed file-system call while writing a file.
public struct FileWriteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file being written.
    public var path: String
    /// The call that failed ("create temporary file", "write", "fsync", "rename", …).
    public var operation: String
    /// The system's explanation (`strerror`).
    public var message: String

    public var description: String { "\(path): \(operation) failed: \(message)" }

    static func lastError(_ path: String, _ operation: String) -> FileWriteError {
        FileWriteError(path: path, operation: operation, message: String(cString: strerror(errno)))
    }
}

/// Writes files so that readers see either the old file or the complete new one, never a
/// partial file: the bytes go to a temporary file in the same directory, which is flushed to
/// disk (`fsync`) and then renamed over the destination (atomic on POSIX file systems).
/// If anything fails — including an error thrown by the caller's closure — the temporary file
/// is removed and the destination is left untouched.
///
/// ```swift
/// try AtomicFile.write(to: "checkpoint/config.json") { sink in
///     try sink.write(Array(json.utf8))
/// }
/// ```
public enum AtomicFile {
    /// Creates or replaces `path` with the bytes `body` writes to the sink.
    ///
    /// - Parameters:
    ///   - path: the destination file; its directory must exist.
    ///   - body: writes the content; throwing aborts the write and leaves no file behind.
    /// - Throws: ``FileWriteError`` for file-system failures, or whatever `body` throws.
    public static func write(to path: String, _ body: (inout AtomicFileSink) throws -> Void) throws {
        let writer = try AtomicFileWriter(path: path)
        var sink = AtomicFileSink(writer: writer)
        try body(&sink)
        try writer.commit()
    }
}

/// The writing end handed to ``AtomicFile/write(to:_:)``.
public struct AtomicFileSink: ~Copyable {
    private let writer: AtomicFileWriter

    init(writer: AtomicFileWriter) { self.writer = writer }

    /// Appends `bytes` to the file.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) { try writer.write(bytes) }

    /// Appends `bytes` to the file.
    public mutating func write(_ bytes: [UInt8]) throws(FileWriteError) { try writer.write(bytes) }
}

/// The mechanism behind ``AtomicFile``, for output written over many calls (a shard file, a
/// stream of records): bytes go through a buffer to a temporary file next to the destination
/// (`write(2)` retried on partial writes and interrupts); ``commit()`` flushes, `fsync`s and
/// renames it over the destination. Released without a commit — a failure or an interrupted
/// run — it removes the temporary file, so no half-written output ever appears.
///
/// ```swift
/// let file = try AtomicFileWriter(path: "out/shard-00000.bkpt")
/// try file.write(bytes)
/// try file.commit()
/// ```
public final class AtomicFileWriter {
    /// The destination.
    public let path: String
    private let directory: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    private var committed = false

    /// Creates the temporary file.
    /// - Parameter bufferCapacity: bytes gathered before each `write(2)`.
    /// - Throws: ``FileWriteError`` when the temporary file cannot be created (e.g. the directory
    ///   does not exist).
    public init(path: String, bufferCapacity: Int = 1 << 20) throws(FileWriteError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileWriteError.lastError(path, "create temporary file in \(directory)") }
        self.path = path
        self.directory = directory
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        descriptor = fd
        capacity = bufferCapacity
        buffer.reserveCapacity(bufferCapacity)
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporary)
        }
    }

    /// Appends `bytes` to the file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeFully(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends `bytes` to the file.
    public func write(_ bytes: [UInt8]) throws(FileWriteError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(FileWriteError) in try write(raw) } }
        try result.get()
    }

    /// Flushes, syncs and renames the file into place (then syncs the directory entry, best effort).
    public func commit() throws(FileWriteError) {
        try flush()
        guard fchmod(descriptor, 0o644) == 0 else { throw FileWriteError.lastError(path, "fchmod") }
        guard fsync(descriptor) == 0 else { throw FileWriteError.lastError(path, "fsync") }
        let fd = descriptor
        descriptor = -1
        guard close(fd) == 0 else { throw FileWriteError.lastError(path, "close") }
        guard rename(temporary, path) == 0 else { throw FileWriteError.lastError(path, "rename") }
        committed = true
        // Persist the directory entry too (best effort: some file systems refuse).
        let directoryFD = systemOpen(directory, O_RDONLY)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Sends buffered bytes to the operating system.
    private func flush() throws(FileWriteError) {
        guard !buffer.isEmpty else { return }
        let result = buffer.withUnsafeBytes { raw in Result { () throws(FileWriteError) in try writeFully(raw) } }
        try result.get()
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileWriteError.lastError(path, "write")
            }
            done += n
        }
    }
}
