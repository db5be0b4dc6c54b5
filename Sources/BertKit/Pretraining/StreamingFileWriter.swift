import TensorCore

/// A file written as a stream, appearing only when complete — TensorCore's `AtomicFileWriter`
/// (temporary file next to the destination, `fsync`, rename; removed when dropped without a
/// commit) with a 4 MiB buffer, the byte offset shard indexes need, little-endian integers, and
/// failures reported as ``PretrainingError/unwritableOutput(path:reason:)``.
///
/// ```swift
/// let file = try StreamingFileWriter(path: "out/shard-00000.bkpt")
/// try file.write(bytes)
/// try file.commit()
/// ```
public final class StreamingFileWriter {
    private let file: AtomicFileWriter
    /// Bytes written so far (including buffered ones).
    public private(set) var offset = 0

    /// The destination.
    public var path: String { file.path }

    /// - Throws: ``PretrainingError/unwritableOutput(path:reason:)`` when the temporary file
    ///   cannot be created (e.g. the directory does not exist).
    public init(path: String) throws {
        do { file = try AtomicFileWriter(path: path, bufferCapacity: 1 << 22) } catch { throw Self.failure(error) }
    }

    /// Appends bytes.
    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        do {
            // Contiguous collections (arrays, slices of them) are written in place, others copied.
            let written: Void? = try bytes.withContiguousStorageIfAvailable { try file.write(UnsafeRawBufferPointer($0)) }
            if written == nil { try file.write(Array(bytes)) }
        } catch let error as FileWriteError {
            throw Self.failure(error)
        }
        offset += bytes.count
    }

    /// Appends the little-endian bytes of an integer.
    public func writeLittleEndian<T: FixedWidthInteger>(_ value: T) throws {
        do {
            try withUnsafeBytes(of: value.littleEndian) { raw throws(FileWriteError) in try file.write(raw) }
        } catch {
            throw Self.failure(error)
        }
        offset += MemoryLayout<T>.size
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        do { try file.commit() } catch { throw Self.failure(error) }
    }

    private static func failure(_ error: FileWriteError) -> PretrainingError {
        .unwritableOutput(path: error.path, reason: "\(error.operation) failed: \(error.message)")
    }
}
