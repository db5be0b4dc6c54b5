import Foundation
import Testing
import TensorCore

/// Every malformed file gives a typed `SafetensorsError` naming the file — never a crash.
@Suite struct SafetensorsMalformedTests {
    /// A file from a header string and data bytes (header length prefix computed).
    static func file(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        let length = declaredLength ?? UInt64(json.count)
        return withUnsafeBytes(of: length.littleEndian) { Array($0) } + json + data
    }

    /// Writes `bytes` to a temporary file and returns the error opening it (and reading every
    /// tensor) throws, or nil if everything succeeded.
    static func openError(_ bytes: [UInt8], name: String = "bad.safetensors") throws -> (SafetensorsError?, String) {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do throws(SafetensorsError) {
            let opened = try SafetensorsFile(path: path)
            for name in opened.names {
                let info = try opened.info(name)
                if info.dtype.isReadableAsFloat { _ = try opened.floats(name) }
            }
            return (nil, path)
        } catch {
            return (error, path)
        }
    }

    static func expectError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation,
                            _ matches: (SafetensorsError, String) -> Bool) throws {
        let (error, path) = try openError(bytes)
        guard let error else {
            Issue.record("malformed file was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(matches(error, path), "unexpected error: \(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(path), "message does not name the file: \(error)",
                sourceLocation: sourceLocation)
    }

    let four = [UInt8](repeating: 0, count: 4)

    @Test func fileShorterThanEightBytes() throws {
        for size in 0..<8 {
            try Self.expectError([UInt8](repeating: 7, count: size)) { error, path in
                error == .fileTooShort(path: path, size: size)
            }
        }
    }

    @Test func headerLengthPastTheEnd() throws {
        try Self.expectError(Self.file("{}", declaredLength: 3)) { error, path in
            error == .headerPastEnd(path: path, headerLength: 3, fileSize: 10)
        }
        try Self.expectError(Self.file("{}", declaredLength: UInt64.max)) { error, path in
            error == .headerTooLarge(path: path, headerLength: UInt64.max)
        }
        try Self.expectError(Self.file("{}", declaredLength: 100_000_001)) { error, _ in
            if case .headerTooLarge = error { return true } else { return false }
        }
    }

    @Test(arguments: ["{", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{\"a\":[1,2,]}", "{} x", "",
                      "{\"a\":\"\u{1}\"}", "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}",
                      String(repeating: "[", count: 200)])
    func badJSON(header: String) throws {
        try Self.expectError(Self.file(header)) { error, _ in
            if case .invalidJSON = error { return true } else { return false }
        }
    }

    @Test func headerNotUTF8() throws {
        let bytes = withUnsafeBytes(of: UInt64(4).littleEndian) { Array($0) } + [0x7B, 0xFF, 0xFE, 0x7D]
        try Self.expectError(bytes) { error, path in error == .headerNotUTF8(path: path) }
    }

    @Test(arguments: ["[]", "1", "\"x\"", "null", "true"])
    func headerNotAnObject(header: String) throws {
        try Self.expectError(Self.file(header)) { error, path in error == .headerNotObject(path: path) }
    }

    @Test(arguments: ["{\"a\":1}", "{\"a\":[0,4]}", "{\"a\":\"F32\"}", "{\"a\":null}"])
    func nonObjectEntries(header: String) throws {
        try Self.expectError(Self.file(header, data: four)) { error, path in error == .entryNotObject(path: path, key: "a") }
    }

    @Test(arguments: ["dtype", "shape", "data_offsets"])
    func missingKeys(field: String) throws {
        var fields = ["\"dtype\":\"F32\"", "\"shape\":[1]", "\"data_offsets\":[0,4]"]
        fields.removeAll { $0.hasPrefix("\"\(field)\"") }
        try Self.expectError(Self.file("{\"t\":{\(fields.joined(separator: ","))}}", data: four)) { error, path in
            error == .missingField(path: path, tensor: "t", field: field)
        }
    }

    @Test(arguments: ["F8", "f32", "Q4_K", "F4"])
    func unknownDType(dtype: String) throws {
        try Self.expectError(Self.file("{\"t\":{\"dtype\":\"\(dtype)\",\"shape\":[1],\"data_offsets\":[0,4]}}", data: four)) {
            error, path in error == .unknownDType(path: path, tensor: "t", dtype: dtype)
        }
    }

    @Test(arguments: [("[0,8]", UInt64(0), UInt64(8)), ("[4,0]", UInt64(4), UInt64(0)),
                      ("[18446744073709551615,4]", UInt64.max, UInt64(4))])
    func offsetsOutOfRange(offsets: String, begin: UInt64, end: UInt64) throws {
        try Self.expectError(Self.file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":\(offsets)}}", data: four)) {
            error, path in error == .offsetsOutOfRange(path: path, tensor: "t", begin: begin, end: end, dataSize: 4)
        }
    }

    @Test func overlappingOffsets() throws {
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
        try Self.expectError(Self.file(header, data: [UInt8](repeating: 0, count: 12))) { error, path in
            error == .overlappingOffsets(path: path, tensor: "b", other: "a")
        }
        let same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
        try Self.expectError(Self.file(same, data: four)) { error, path in
            error == .overlappingOffsets(path: path, tensor: "b", other: "a")
        }
    }

    @Test func bytesNoTensorCovers() throws {
        let gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}"
        try Self.expectError(Self.file(gap, data: [UInt8](repeating: 0, count: 12))) { error, path in
            error == .uncoveredBytes(path: path, begin: 4, end: 8)
        }
        let trailing = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
        try Self.expectError(Self.file(trailing, data: [UInt8](repeating: 0, count: 6))) { error, path in
            error == .uncoveredBytes(path: path, begin: 4, end: 6)
        }
    }

    @Test(arguments: [("F32", "[3]"), ("F16", "[1]"), ("I64", "[1]"), ("BF16", "[2,2]"), ("F32", "[]")])
    func elementCountDoesNotMatchByteCount(dtype: String, shape: String) throws {
        let header = "{\"t\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[0,6]}}"
        try Self.expectError(Self.file(header, data: [UInt8](repeating: 0, count: 6))) { error, _ in
            if case let .byteCountMismatch(_, tensor, _, foundDType, byteCount) = error {
                return tensor == "t" && foundDType == dtype && byteCount == 6
            }
            return false
        }
    }

    @Test(arguments: ["\"shape\":[-1]", "\"shape\":[1.5]", "\"shape\":\"1\"", "\"shape\":[4294967296,4294967296,4294967296]",
                      "\"data_offsets\":[0]", "\"data_offsets\":[0,4,8]", "\"data_offsets\":[0,-4]", "\"dtype\":5"])
    func invalidFields(replacement: String) throws {
        var fields = ["\"dtype\":\"F32\"", "\"shape\":[1]", "\"data_offsets\":[0,4]"]
        let key = String(replacement.prefix { $0 != ":" })
        fields = fields.map { $0.hasPrefix(key) ? replacement : $0 }
        try Self.expectError(Self.file("{\"t\":{\(fields.joined(separator: ","))}}", data: four)) { error, _ in
            if case let .invalidField(_, tensor, field, _) = error { return tensor == "t" && "\"\(field)\"" == key }
            return false
        }
    }

    @Test func duplicateKeys() throws {
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"
        try Self.expectError(Self.file(header, data: [UInt8](repeating: 0, count: 8))) { error, path in
            error == .duplicateKey(path: path, key: "a")
        }
    }

    @Test(arguments: ["[]", "{\"a\":1}", "{\"a\":{}}", "\"x\""])
    func metadataMustBeStrings(metadata: String) throws {
        try Self.expectError(Self.file("{\"__metadata__\":\(metadata)}")) { error, _ in
            if case .invalidMetadata = error { return true } else { return false }
        }
    }

    @Test func missingFileAndDirectoryAreIOErrors() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        for path in [directory.path("absent.safetensors"), directory.url.path] {
            #expect {
                _ = try SafetensorsFile(path: path)
            } throws: { error in
                guard let error = error as? SafetensorsError, case .io = error else { return false }
                return error.description.contains(path)
            }
        }
    }

    /// Random corruption of a valid file: opening and reading never crashes; it either
    /// succeeds or throws `SafetensorsError`.
    @Test func randomCorruptionNeverCrashes() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: OptimFixtures.path("safetensors/dtypes.safetensors"))))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var failures = 0
        for trial in 0..<400 {
            var bytes = original
            switch trial % 4 {
            case 0: bytes.removeLast(next() % bytes.count)
            case 1:
                for _ in 0..<(1 + next() % 4) { bytes[next() % min(bytes.count, 600)] = UInt8(truncatingIfNeeded: next()) }
            case 2: bytes[next() % 8] = UInt8(truncatingIfNeeded: next())
            default:
                let digits = bytes.indices.filter { (48...57).contains(bytes[$0]) && $0 > 8 && $0 < 600 }
                bytes[digits[next() % digits.count]] = UInt8(48 + next() % 10)
            }
            if try Self.openError(bytes).0 != nil { failures += 1 }
        }
        #expect(failures > 100)
    }
}
