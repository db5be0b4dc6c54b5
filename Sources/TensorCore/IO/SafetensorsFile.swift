#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A safetensors file opened for reading: memory-mapped, header parsed and validated up front
/// (see ``SafetensorsError`` for everything that is checked), tensors converted on request.
///
/// Format: an 8-byte little-endian header length `N`, `N` bytes of JSON header, then the data
/// section (huggingface/safetensors). Only the header is copied at open; tensor bytes are read
/// from the mapping when asked for, so opening a large checkpoint is cheap.
///
/// ```swift
/// let file = try SafetensorsFile(path: "model.safetensors")
/// print(file.names, file.metadata["format"] ?? "")
/// let weight = try file.tensor("embeddings.word_embeddings.weight")   // F32/F16/BF16 → Float
/// let ids = try file.intTensor("embeddings.position_ids")             // I64/I32 → Int
/// ```
///
/// The mapping is private and read-only. Truncating the file while it is open is undefined
/// behaviour at the operating-system level (SIGBUS), as for every memory-mapped reader.
public final class SafetensorsFile: @unchecked Sendable {
    /// The path the file was opened with (used in error messages).
    public let path: String
    /// The tensors in data order.
    public let tensorInfos: [SafetensorsTensorInfo]
    /// The `__metadata__` string map (empty when the file has none).
    public let metadata: [String: String]

    private let mapping: UnsafeRawPointer
    private let mappedLength: Int
    private let dataStart: Int
    private let index: [String: Int]

    /// Opens, maps and validates `path`.
    ///
    /// - Throws: ``SafetensorsError`` naming the file and the problem.
    public init(path: String) throws(SafetensorsError) {
        self.path = path
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait forever for a writer; it is
        // then refused below as not a regular file (the flag changes nothing for regular files).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Self.ioError(path, "open") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Self.ioError(path, "fstat") }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .io(path: path, operation: "open", message: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size >= 8 else { throw .fileTooShort(path: path, size: size) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Self.ioError(path, "mmap")
        }
        let mapping = UnsafeRawPointer(base)
        do throws(SafetensorsError) {
            let headerLength = UInt64(littleEndian: mapping.loadUnaligned(as: UInt64.self))
            guard headerLength <= SafetensorsHeader.maxHeaderLength else {
                throw SafetensorsError.headerTooLarge(path: path, headerLength: headerLength)
            }
            guard headerLength <= UInt64(size - 8) else {
                throw SafetensorsError.headerPastEnd(path: path, headerLength: headerLength, fileSize: size)
            }
            let n = Int(headerLength)
            let headerBytes = Array(UnsafeRawBufferPointer(start: mapping + 8, count: n))
            let header = try SafetensorsHeader.parse(headerBytes, dataSize: size - 8 - n, path: path)
            tensorInfos = header.tensors
            metadata = header.metadata
            dataStart = 8 + n
        } catch {
            munmap(base, size)
            throw error
        }
        self.mapping = mapping
        mappedLength = size
        var index: [String: Int] = [:]
        for (i, info) in tensorInfos.enumerated() { index[info.name] = i }
        self.index = index
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: mapping), mappedLength)
    }

    /// Tensor names, sorted.
    public var names: [String] { tensorInfos.map(\.name).sorted() }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// Header information of tensor `name`.
    ///
    /// - Throws: ``SafetensorsError/tensorNotFound(path:tensor:)``.
    public func info(_ name: String) throws(SafetensorsError) -> SafetensorsTensorInfo {
        guard let i = index[name] else { throw .tensorNotFound(path: path, tensor: name) }
        return tensorInfos[i]
    }

    /// Calls `body` with the raw little-endian bytes of tensor `name` (valid only inside `body`).
    public func withRawBytes<R>(of name: String,
                                _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try info(name)
        return try body(UnsafeRawBufferPointer(start: mapping + dataStart + info.dataOffsets.lowerBound,
                                               count: info.dataOffsets.count))
    }

    /// Converts tensor `name` to `Float`, writing `info(name).elementCount` values at `destination`.
    ///
    /// - Throws: ``SafetensorsError/tensorNotFound(path:tensor:)`` or
    ///   ``SafetensorsError/dtypeMismatch(path:tensor:dtype:requested:)`` for `U64`/`F8_*`.
    public func readFloats(_ name: String, into destination: UnsafeMutablePointer<Float>) throws(SafetensorsError) {
        let info = try info(name)
        guard info.dtype.isReadableAsFloat else {
            throw .dtypeMismatch(path: path, tensor: name, dtype: info.dtype.rawValue, requested: "Float")
        }
        let source = mapping + dataStart + info.dataOffsets.lowerBound
        let count = info.elementCount
        switch info.dtype {
        case .float32:
            #if _endian(little)
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
            #else
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
            #endif
        case .float16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                destination[i] = HalfConversion.float(fromHalfBits: bits)
            }
        case .bfloat16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                destination[i] = HalfConversion.float(fromBFloat16Bits: bits)
            }
        case .float64:
            for i in 0..<count {
                let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                destination[i] = Float(Double(bitPattern: bits))
            }
        default:
            for i in 0..<count { destination[i] = Float(integer(at: i, of: info.dtype, source: source)) }
        }
    }

    /// Tensor `name` as `Float` values in row-major order.
    public func floats(_ name: String) throws(SafetensorsError) -> [Float] {
        let count = try info(name).elementCount
        var result = [Float](repeating: 0, count: count)
        try result.withUnsafeMutableBufferPointer { (buffer) throws(SafetensorsError) in
            guard let base = buffer.baseAddress else { return }
            try readFloats(name, into: base)
        }
        return result
    }

    /// Tensor `name` as `Int` values in row-major order (integer and `BOOL` dtypes only).
    ///
    /// - Throws: ``SafetensorsError/dtypeMismatch(path:tensor:dtype:requested:)`` for float dtypes.
    public func ints(_ name: String) throws(SafetensorsError) -> [Int] {
        let info = try info(name)
        guard info.dtype.isReadableAsInt else {
            throw .dtypeMismatch(path: path, tensor: name, dtype: info.dtype.rawValue, requested: "Int")
        }
        let source = mapping + dataStart + info.dataOffsets.lowerBound
        return (0..<info.elementCount).map { integer(at: $0, of: info.dtype, source: source) }
    }

    @inline(__always)
    private func integer(at i: Int, of dtype: SafetensorsDType, source: UnsafeRawPointer) -> Int {
        switch dtype {
        case .int64: return Int(Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
        case .int32: return Int(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
        case .uint32: return Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        case .int16: return Int(Int16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
        case .uint16: return Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        case .int8: return Int(source.load(fromByteOffset: i, as: Int8.self))
        case .uint8: return Int(source.load(fromByteOffset: i, as: UInt8.self))
        case .bool: return source.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0
        default: checkFailure("SafetensorsFile: \(dtype.rawValue) is not an integer dtype")
        }
    }

    private static func ioError(_ path: String, _ operation: String) -> SafetensorsError {
        .io(path: path, operation: operation, message: String(cString: strerror(errno)))
    }
}
