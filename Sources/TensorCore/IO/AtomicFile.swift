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
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileWriteError.lastError(path, "create temporary file in \(directory)") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(fd) }
            if !renamed { unlink(temporary) }
        }
        var sink = AtomicFileSink(descriptor: fd, path: path)
        try body(&sink)
        try sink.flush()
        guard fchmod(fd, 0o644) == 0 else { throw FileWriteError.lastError(path, "fchmod") }
        guard fsync(fd) == 0 else { throw FileWriteError.lastError(path, "fsync") }
        isOpen = false
        guard close(fd) == 0 else { throw FileWriteError.lastError(path, "close") }
        guard rename(temporary, path) == 0 else { throw FileWriteError.lastError(path, "rename") }
        renamed = true
        // Persist the directory entry too (best effort: some file systems refuse).
        let directoryFD = systemOpen(directory, O_RDONLY)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }
}

/// The writing end handed to ``AtomicFile/write(to:_:)``: buffered, with `write(2)` retried
/// on partial writes and interrupts.
public struct AtomicFileSink: ~Copyable {
    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 20

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(Self.capacity)
    }

    /// Appends `bytes` to the file.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
        if buffer.count + bytes.count > Self.capacity { try flush() }
        if bytes.count >= Self.capacity {
            try writeFully(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends `bytes` to the file.
    public mutating func write(_ bytes: [UInt8]) throws(FileWriteError) {
        if buffer.count + bytes.count > Self.capacity { try flush() }
        if bytes.count >= Self.capacity {
            let result = bytes.withUnsafeBytes { raw in Result { () throws(FileWriteError) in try writeFully(raw) } }
            try result.get()
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Sends buffered bytes to the operating system.
    mutating func flush() throws(FileWriteError) {
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
