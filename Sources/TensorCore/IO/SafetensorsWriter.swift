import StrictJSON
/// Builds a safetensors file: `F32` for float tensors and `I64` for integer tensors.
///
/// The output is byte-identical to the reference writer (huggingface/safetensors
/// `serialize`): tensors ordered by dtype alignment (`I64` before `F32`) then by name, compact
/// JSON header with `__metadata__` first (its keys sorted here), padded with spaces to a
/// multiple of 8 bytes so that the data section is 8-byte aligned. Writing goes through
/// ``AtomicFile``: a failure never leaves a partial file.
///
/// ```swift
/// var writer = SafetensorsWriter(metadata: ["format": "pt"])
/// writer.add("classifier.weight", floats: weights, shape: [2, 768])
/// writer.add("labels", ints: [0, 1, 1], shape: [3])
/// try writer.write(to: "out.safetensors")
/// ```
public struct SafetensorsWriter {
    private enum Payload {
        case floats([Float])
        case ints([Int])
        case floatPointer(UnsafePointer<Float>, owner: AnyObject?)
    }

    private struct Entry {
        var name: String
        var dtype: SafetensorsDType
        var shape: [Int]
        var count: Int
        var payload: Payload
    }

    /// Free-form string metadata stored as `__metadata__`.
    public var metadata: [String: String]
    private var entries: [Entry] = []

    /// An empty file description with optional `__metadata__`.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds a `F32` tensor from row-major `floats` of the given `shape`.
    public mutating func add(_ name: String, floats: [Float], shape: [Int]) {
        check(shape.reduce(1, *) == floats.count,
                     "SafetensorsWriter.add: \(floats.count) values do not fit shape \(shape)")
        entries.append(Entry(name: name, dtype: .float32, shape: shape, count: floats.count, payload: .floats(floats)))
    }

    /// Adds a `F32` tensor whose `count` row-major values are read from `pointer` at write time.
    /// `owner` is retained until the writer is gone, to keep the memory alive.
    public mutating func add(_ name: String, pointer: UnsafePointer<Float>, shape: [Int], owner: AnyObject?) {
        entries.append(Entry(name: name, dtype: .float32, shape: shape, count: shape.reduce(1, *),
                             payload: .floatPointer(pointer, owner: owner)))
    }

    /// Adds an `I64` tensor from row-major `ints` of the given `shape`.
    public mutating func add(_ name: String, ints: [Int], shape: [Int]) {
        check(shape.reduce(1, *) == ints.count,
                     "SafetensorsWriter.add: \(ints.count) values do not fit shape \(shape)")
        entries.append(Entry(name: name, dtype: .int64, shape: shape, count: ints.count, payload: .ints(ints)))
    }

    /// Entries in file order and their byte offsets, plus the padded header.
    private func layout(path: String) throws(SafetensorsError) -> (header: [UInt8], order: [Entry]) {
        var names = Set<String>()
        for entry in entries {
            if entry.name == "__metadata__" {
                throw .invalidTensorName(path: path, name: entry.name, detail: "reserved for metadata")
            }
            guard names.insert(entry.name).inserted else {
                throw .invalidTensorName(path: path, name: entry.name, detail: "added more than once")
            }
        }
        let order = entries.sorted {
            $0.dtype.referenceOrder != $1.dtype.referenceOrder
                ? $0.dtype.referenceOrder > $1.dtype.referenceOrder
                : Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8))
        }
        var json = "{"
        var first = true
        if !metadata.isEmpty {
            let items = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { JSONEscaper.quoted($0) + ":" + JSONEscaper.quoted(metadata[$0]!) }
            json += "\"__metadata__\":{" + items.joined(separator: ",") + "}"
            first = false
        }
        var offset = 0
        for entry in order {
            let bytes = entry.count * entry.dtype.byteSize
            if !first { json += "," }
            first = false
            json += JSONEscaper.quoted(entry.name) + ":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":["
                + entry.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        json += "}"
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        return (header, order)
    }

    /// The complete file as bytes (for small files and tests).
    public func serialized() throws(SafetensorsError) -> [UInt8] {
        let (header, order) = try layout(path: "<memory>")
        var out: [UInt8] = []
        append(header: header, order: order) { out.append(contentsOf: $0) }
        return out
    }

    /// Writes the file atomically (temporary file in the same directory, fsync, rename).
    ///
    /// - Throws: ``SafetensorsError/io(path:operation:message:)`` when the file system fails,
    ///   ``SafetensorsError/invalidTensorName(path:name:detail:)`` for duplicate names.
    public func write(to path: String) throws(SafetensorsError) {
        let (header, order) = try layout(path: path)
        do {
            try AtomicFile.write(to: path) { sink in
                var failure: FileWriteError?
                append(header: header, order: order) { chunk in
                    guard failure == nil else { return }
                    do throws(FileWriteError) { try sink.write(chunk) } catch { failure = error }
                }
                if let failure { throw failure }
            }
        } catch let error as FileWriteError {
            throw .io(path: path, operation: error.operation, message: error.message)
        } catch {
            throw .io(path: path, operation: "write", message: "\(error)")
        }
    }

    /// Emits the file in chunks: length prefix, header, then each tensor's little-endian bytes.
    private func append(header: [UInt8], order: [Entry], _ emit: (UnsafeRawBufferPointer) -> Void) {
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { emit($0) }
        header.withUnsafeBytes { emit($0) }
        let chunk = 1 << 14
        var scratch = [UInt64](repeating: 0, count: chunk)
        for entry in order {
            switch entry.payload {
            case let .floats(values):
                values.withUnsafeBufferPointer { emitFloats($0.baseAddress, entry.count, emit) }
            case let .floatPointer(pointer, _):
                emitFloats(pointer, entry.count, emit)
            case let .ints(values):
                var start = 0
                while start < values.count {
                    let n = min(chunk, values.count - start)
                    for i in 0..<n { scratch[i] = UInt64(bitPattern: Int64(values[start + i])).littleEndian }
                    scratch.withUnsafeBytes { emit(UnsafeRawBufferPointer(rebasing: $0[0..<(8 * n)])) }
                    start += n
                }
            }
        }
    }

    private func emitFloats(_ pointer: UnsafePointer<Float>?, _ count: Int,
                            _ emit: (UnsafeRawBufferPointer) -> Void) {
        guard let pointer, count > 0 else { return }
        #if _endian(little)
        emit(UnsafeRawBufferPointer(start: pointer, count: count * 4))
        #else
        for i in 0..<count {
            withUnsafeBytes(of: pointer[i].bitPattern.littleEndian) { emit($0) }
        }
        #endif
    }
}
