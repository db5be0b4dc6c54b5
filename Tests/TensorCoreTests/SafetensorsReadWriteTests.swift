import Foundation
import Testing
import TensorCore

/// Round trips against files written by the Python `safetensors` package
/// (`Scripts/make_optim_fixtures.py`), and byte-identical output of our writer.
@Suite struct SafetensorsReadWriteTests {
    struct Expected: Decodable {
        struct Entry: Decodable {
            var shape: [Int]
            var float_bits: [UInt32]?
            var ints: [Int]?
        }
        struct WriterReference: Decodable {
            var metadata: [String: String]
            var floats: [String: Entry]
            var ints: [String: Entry]
        }
        var metadata: [String: String]
        var tensors: [String: Entry]
        var writer_reference: WriterReference
    }

    let expected: Expected

    init() throws {
        expected = try OptimFixtures.decode(Expected.self, "safetensors/expected.json")
    }

    @Test(arguments: ["weights.f32", "weights.f16", "weights.bf16", "ids.i64", "ids.i32", "scalar", "empty"])
    func readsEveryDTypeWrittenByPython(name: String) throws {
        let file = try SafetensorsFile(path: OptimFixtures.path("safetensors/dtypes.safetensors"))
        let entry = try #require(expected.tensors[name])
        let info = try file.info(name)
        #expect(info.shape == entry.shape)
        if let bits = entry.float_bits {
            // Exact: F16 and BF16 widen to Float without rounding (NaN compared by bits).
            let values = try file.floats(name)
            #expect(values.map(\.bitPattern) == bits, "\(name) (\(info.dtype.rawValue))")
        }
        if let ints = entry.ints {
            #expect(try file.ints(name) == ints, "\(name) (\(info.dtype.rawValue))")
            #expect(try file.floats(name) == ints.map { Float($0) })
        }
    }

    @Test func readsMetadataAndNames() throws {
        let file = try SafetensorsFile(path: OptimFixtures.path("safetensors/dtypes.safetensors"))
        #expect(file.metadata == expected.metadata)
        #expect(file.names == expected.tensors.keys.sorted())
        #expect(try file.info("weights.bf16").dtype == .bfloat16)
        #expect(try file.info("ids.i32").dtype == .int32)
        #expect(try file.info("scalar").shape == [])
        #expect(try file.floats("scalar") == [3.25])
        #expect(try file.floats("empty").isEmpty)
    }

    @Test func floatTensorsCannotBeReadAsIntegers() throws {
        let path = OptimFixtures.path("safetensors/dtypes.safetensors")
        let file = try SafetensorsFile(path: path)
        #expect(throws: SafetensorsError.dtypeMismatch(path: path, tensor: "weights.f16", dtype: "F16", requested: "Int")) {
            _ = try file.ints("weights.f16")
        }
        #expect(throws: SafetensorsError.tensorNotFound(path: path, tensor: "nope")) {
            _ = try file.floats("nope")
        }
    }

    /// Our writer's bytes equal the reference writer's for the same tensors and metadata.
    @Test func writerOutputIsByteIdenticalToReference() throws {
        let reference = expected.writer_reference
        var writer = SafetensorsWriter(metadata: reference.metadata)
        for (name, entry) in reference.floats {
            writer.add(name, floats: try #require(entry.float_bits).map(Float.init(bitPattern:)), shape: entry.shape)
        }
        for (name, entry) in reference.ints {
            writer.add(name, ints: try #require(entry.ints), shape: entry.shape)
        }
        let ours = try writer.serialized()
        let theirs = try [UInt8](Data(contentsOf: URL(fileURLWithPath: OptimFixtures.path("safetensors/writer_reference.safetensors"))))
        #expect(ours == theirs, "\(String(decoding: ours.prefix(200), as: UTF8.self))")
    }

    @Test func writeThenReadRoundTripsWithMetadata() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("round.safetensors")
        var writer = SafetensorsWriter(metadata: ["format": "pt", "quote\"and\\slash": "line\nbreak ü"])
        let big = (0..<100_000).map { Float($0) * 0.25 - 7 }
        writer.add("big", floats: big, shape: [250, 400])
        writer.add("ids", ints: [Int.min, -1, 0, 1, Int.max], shape: [5])
        writer.add("scalar", floats: [.infinity], shape: [])
        writer.add("empty", floats: [], shape: [3, 0])
        try writer.write(to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == writer.metadata)
        #expect(try file.floats("big") == big)
        #expect(try file.ints("ids") == [Int.min, -1, 0, 1, Int.max])
        #expect(try file.floats("scalar") == [.infinity])
        #expect(try file.info("empty").shape == [3, 0])
        // Header is padded to 8 bytes, so the data section is aligned.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        #expect(headerLength % 8 == 0)
        #expect(bytes[8 + headerLength - 1] == UInt8(ascii: " ") || bytes[8 + headerLength - 1] == UInt8(ascii: "}"))
    }

    @Test func duplicateAndReservedNamesAreRejectedByTheWriter() throws {
        var writer = SafetensorsWriter()
        writer.add("a", floats: [1], shape: [1])
        writer.add("a", ints: [1], shape: [1])
        #expect(throws: SafetensorsError.self) { try writer.serialized() }
        var reserved = SafetensorsWriter()
        reserved.add("__metadata__", floats: [1], shape: [1])
        #expect(throws: SafetensorsError.self) { try reserved.serialized() }
    }
}
