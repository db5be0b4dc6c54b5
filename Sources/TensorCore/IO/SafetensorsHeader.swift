import StrictJSON

/// One tensor as described by a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's key in the file.
    public var name: String
    /// Element type as stored.
    public var dtype: SafetensorsDType
    /// Row-major shape (`[]` for a scalar).
    public var shape: [Int]
    /// Byte range relative to the start of the data section (after the header).
    public var dataOffsets: Range<Int>

    /// Number of elements (`shape` product; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// The parsed, validated header of a safetensors file.
///
/// Validation follows the reference implementation (huggingface/safetensors `tensor.rs`):
/// header ≤ 100 MB, a JSON object without duplicate keys, every entry an object with a known
/// `dtype`, a `shape` of non-negative integers and `data_offsets` `[begin, end]` inside the
/// data section whose length is exactly element count × dtype size, no two tensors
/// overlapping, and the tensors covering the data section with no byte left over.
struct SafetensorsHeader {
    /// Largest accepted header, as in the reference implementation.
    static let maxHeaderLength: UInt64 = 100_000_000

    /// Tensors in data-offset order.
    var tensors: [SafetensorsTensorInfo]
    /// The free-form `__metadata__` string map (empty when absent).
    var metadata: [String: String]

    /// Parses `headerBytes` (the JSON text) for a data section of `dataSize` bytes.
    static func parse(_ headerBytes: [UInt8], dataSize: Int, path: String) throws(SafetensorsError) -> SafetensorsHeader {
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw .headerNotUTF8(path: path) }
        let root: JSONValue
        do {
            root = try JSONParser.parse(headerBytes)
        } catch {
            throw .invalidJSON(path: path, detail: error.description)
        }
        guard case let .object(members) = root else { throw .headerNotObject(path: path) }

        var seen = Set<String>()
        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensorInfo] = []
        tensors.reserveCapacity(members.count)
        for member in members {
            let key = member.key, value = member.value
            guard seen.insert(key).inserted else { throw .duplicateKey(path: path, key: key) }
            if key == "__metadata__" {
                metadata = try parseMetadata(value, path: path)
                continue
            }
            tensors.append(try parseEntry(name: key, value: value, dataSize: dataSize, path: path))
        }
        try checkLayout(&tensors, dataSize: dataSize, path: path)
        return SafetensorsHeader(tensors: tensors, metadata: metadata)
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws(SafetensorsError) -> [String: String] {
        guard case let .object(members) = value else {
            throw .invalidMetadata(path: path, detail: "expected an object, found \(value.typeName)")
        }
        var result: [String: String] = [:]
        for member in members {
            let key = member.key, item = member.value
            guard case let .string(text) = item else {
                throw .invalidMetadata(path: path, detail: "value of \"\(key)\" is a \(item.typeName), not a string")
            }
            guard result.updateValue(text, forKey: key) == nil else {
                throw .invalidMetadata(path: path, detail: "key \"\(key)\" appears more than once")
            }
        }
        return result
    }

    private static func parseEntry(name: String, value: JSONValue, dataSize: Int,
                                   path: String) throws(SafetensorsError) -> SafetensorsTensorInfo {
        guard case let .object(fields) = value else { throw .entryNotObject(path: path, key: name) }
        func field(_ key: String) throws(SafetensorsError) -> JSONValue {
            let matches = fields.filter { $0.key == key }
            guard let first = matches.first else { throw .missingField(path: path, tensor: name, field: key) }
            guard matches.count == 1 else {
                throw .invalidField(path: path, tensor: name, field: key, detail: "appears more than once")
            }
            return first.value
        }
        guard case let .string(dtypeName) = try field("dtype") else {
            throw .invalidField(path: path, tensor: name, field: "dtype", detail: "expected a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard case let .array(shapeValues) = try field("shape") else {
            throw .invalidField(path: path, tensor: name, field: "shape", detail: "expected an array")
        }
        var shape: [Int] = []
        var elements = 1
        // The product of the non-zero dimensions bounds every stride: [0, 2^32, 2^32] holds no
        // element but its strides would still overflow, so it is refused too.
        var strideBound = 1
        for dimension in shapeValues {
            guard let d = dimension.unsignedInteger, d <= UInt64(Int.max) else {
                throw .invalidField(path: path, tensor: name, field: "shape",
                                    detail: "dimensions must be non-negative integers")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
            let (bound, strideOverflow) = strideBound.multipliedReportingOverflow(by: Swift.max(Int(d), 1))
            guard !overflow, !strideOverflow else {
                throw .invalidField(path: path, tensor: name, field: "shape", detail: "element count overflows")
            }
            elements = product
            strideBound = bound
            shape.append(Int(d))
        }
        guard case let .array(offsetValues) = try field("data_offsets"), offsetValues.count == 2,
              let begin = offsetValues[0].unsignedInteger, let end = offsetValues[1].unsignedInteger else {
            throw .invalidField(path: path, tensor: name, field: "data_offsets",
                                detail: "expected two non-negative integers [begin, end]")
        }
        guard begin <= end, end <= UInt64(dataSize) else {
            throw .offsetsOutOfRange(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        let byteCount = Int(end - begin)
        let (expected, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, expected == byteCount else {
            throw .byteCountMismatch(path: path, tensor: name, shape: shape, dtype: dtype.rawValue,
                                     byteCount: byteCount)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape,
                                     dataOffsets: Int(begin)..<Int(end))
    }

    /// Sorts by offsets and rejects overlaps and uncovered bytes.
    private static func checkLayout(_ tensors: inout [SafetensorsTensorInfo], dataSize: Int,
                                    path: String) throws(SafetensorsError) {
        tensors.sort {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
                < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        var covered = 0
        var lastName: String?
        for info in tensors {
            let range = info.dataOffsets
            if range.lowerBound < covered, let lastName {
                throw .overlappingOffsets(path: path, tensor: info.name, other: lastName)
            }
            if range.lowerBound > covered {
                throw .uncoveredBytes(path: path, begin: covered, end: range.lowerBound)
            }
            if !range.isEmpty || lastName == nil { lastName = info.name }
            covered = max(covered, range.upperBound)
        }
        if covered != dataSize { throw .uncoveredBytes(path: path, begin: covered, end: dataSize) }
    }
}
