/// Everything that can be wrong with a safetensors file, or with reading or writing one.
///
/// Every case names the file, so the message alone tells a user what to fix:
///
/// ```swift
/// do {
///     let file = try SafetensorsFile(path: "model.safetensors")
///     let weight = try file.tensor("bert.pooler.dense.weight")
/// } catch let error as SafetensorsError {
///     print(error)   // model.safetensors: tensor "…" has data_offsets [0, 12] past the end …
/// }
/// ```
public enum SafetensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// An operating-system call failed (`operation` is e.g. "open", "write", "rename").
    case io(path: String, operation: String, message: String)
    /// The file is shorter than the 8-byte header length prefix.
    case fileTooShort(path: String, size: Int)
    /// The header length exceeds the 100 MB limit of the reference implementation.
    case headerTooLarge(path: String, headerLength: UInt64)
    /// The header length points past the end of the file.
    case headerPastEnd(path: String, headerLength: UInt64, fileSize: Int)
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8(path: String)
    /// The header is not valid JSON (`detail` says where).
    case invalidJSON(path: String, detail: String)
    /// The header's top-level JSON value is not an object.
    case headerNotObject(path: String)
    /// The header names the same key twice.
    case duplicateKey(path: String, key: String)
    /// The value of a tensor entry (or of `__metadata__`) is not a JSON object.
    case entryNotObject(path: String, key: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(path: String, tensor: String, field: String)
    /// A tensor entry field has the wrong JSON type or value.
    case invalidField(path: String, tensor: String, field: String, detail: String)
    /// `__metadata__` is not an object of string values.
    case invalidMetadata(path: String, detail: String)
    /// A dtype string this library does not know.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// The byte range `[begin, end)` is reversed or does not fit the data section.
    case offsetsOutOfRange(path: String, tensor: String, begin: UInt64, end: UInt64, dataSize: Int)
    /// Two tensors claim overlapping bytes.
    case overlappingOffsets(path: String, tensor: String, other: String)
    /// Bytes of the data section that no tensor covers (between tensors or at the end);
    /// the reference implementation rejects those as well.
    case uncoveredBytes(path: String, begin: Int, end: Int)
    /// The shape's element count times the dtype size is not the byte count of the range.
    case byteCountMismatch(path: String, tensor: String, shape: [Int], dtype: String, byteCount: Int)
    /// No tensor with this name in the file.
    case tensorNotFound(path: String, tensor: String)
    /// The tensor's dtype cannot be read as the requested kind (e.g. floats as integers).
    case dtypeMismatch(path: String, tensor: String, dtype: String, requested: String)
    /// A tensor given to the writer cannot be written (e.g. an empty name or a duplicate).
    case invalidTensorName(path: String, name: String, detail: String)

    public var description: String {
        switch self {
        case let .io(path, operation, message):
            return "\(path): \(operation) failed: \(message)"
        case let .fileTooShort(path, size):
            return "\(path): file is \(size) bytes, shorter than the 8-byte safetensors header length"
        case let .headerTooLarge(path, length):
            return "\(path): header length \(length) exceeds the 100000000-byte limit"
        case let .headerPastEnd(path, length, size):
            return "\(path): header length \(length) runs past the end of the \(size)-byte file"
        case let .headerNotUTF8(path):
            return "\(path): header is not valid UTF-8"
        case let .invalidJSON(path, detail):
            return "\(path): header is not valid JSON: \(detail)"
        case let .headerNotObject(path):
            return "\(path): header is not a JSON object"
        case let .duplicateKey(path, key):
            return "\(path): header has the key \"\(key)\" more than once"
        case let .entryNotObject(path, key):
            return "\(path): header entry \"\(key)\" is not a JSON object"
        case let .missingField(path, tensor, field):
            return "\(path): tensor \"\(tensor)\" has no \"\(field)\""
        case let .invalidField(path, tensor, field, detail):
            return "\(path): tensor \"\(tensor)\" has an invalid \"\(field)\": \(detail)"
        case let .invalidMetadata(path, detail):
            return "\(path): invalid __metadata__: \(detail)"
        case let .unknownDType(path, tensor, dtype):
            return "\(path): tensor \"\(tensor)\" has unknown dtype \"\(dtype)\""
        case let .offsetsOutOfRange(path, tensor, begin, end, dataSize):
            return "\(path): tensor \"\(tensor)\" has data_offsets [\(begin), \(end)] outside the "
                + "\(dataSize)-byte data section"
        case let .overlappingOffsets(path, tensor, other):
            return "\(path): tensors \"\(other)\" and \"\(tensor)\" have overlapping data_offsets"
        case let .uncoveredBytes(path, begin, end):
            return "\(path): data bytes [\(begin), \(end)) belong to no tensor"
        case let .byteCountMismatch(path, tensor, shape, dtype, byteCount):
            return "\(path): tensor \"\(tensor)\" of shape \(shape) and dtype \(dtype) does not fit "
                + "its \(byteCount) bytes"
        case let .tensorNotFound(path, tensor):
            return "\(path): no tensor named \"\(tensor)\""
        case let .dtypeMismatch(path, tensor, dtype, requested):
            return "\(path): tensor \"\(tensor)\" has dtype \(dtype) and cannot be read as \(requested)"
        case let .invalidTensorName(path, name, detail):
            return "\(path): cannot write tensor \"\(name)\": \(detail)"
        }
    }
}
