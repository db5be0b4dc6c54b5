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

/// A file written as a stream, appearing only when complete: bytes go through a 4 MiB buffer to
/// a temporary file next to the destination, which ``commit()`` flushes, `fsync`s and renames
/// over it. Dropping the writer without committing removes the temporary file, so a failed or
/// interrupted run never leaves a half-written output.
///
/// ```swift
/// let file = try StreamingFileWriter(path: "out/shard-00000.bkpt")
/// try file.write(bytes)
/// try file.commit()
/// ```
public final class StreamingFileWriter {
    public let path: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    /// Bytes written so far (including buffered ones).
    public private(set) var offset = 0
    private static let capacity = 1 << 22

    /// - Throws: ``PretrainingError/unwritableOutput(path:reason:)`` when the temporary file
    ///   cannot be created (e.g. the directory does not exist).
    public init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw PretrainingError.unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
        descriptor = fd
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        buffer.reserveCapacity(Self.capacity)
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporary)
        }
    }

    /// Appends bytes.
    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        offset += bytes.count
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Appends the little-endian bytes of an integer.
    public func writeLittleEndian<T: FixedWidthInteger>(_ value: T) throws {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        offset += MemoryLayout<T>.size
        if buffer.count >= Self.capacity { try flush() }
    }

    private func flush() throws {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw PretrainingError.unwritableOutput(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        try flush()
        func fail(_ what: String) -> PretrainingError {
            .unwritableOutput(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        guard fchmod(descriptor, 0o644) == 0 else { throw fail("fchmod") }
        guard fsync(descriptor) == 0 else { throw fail("fsync") }
        let fd = descriptor
        descriptor = -1
        guard close(fd) == 0 else { throw fail("close") }
        guard rename(temporary, path) == 0 else { throw fail("rename") }
        committed = true
    }
}
