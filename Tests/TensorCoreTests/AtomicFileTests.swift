import Foundation
import Testing
import TensorCore

/// Writes are atomic: a failing write leaves no partial file and no temporary file, and an
/// existing file survives untouched.
@Suite struct AtomicFileTests {
    struct Interrupted: Error {}

    @Test func successfulWriteLeavesOnlyTheFile() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("out.bin")
        try AtomicFile.write(to: path) { sink in
            try sink.write([1, 2, 3])
            try sink.write([UInt8](repeating: 9, count: 3 << 20))  // larger than the sink's buffer
        }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 3 + (3 << 20))
        #expect(Array(bytes.prefix(4)) == [1, 2, 3, 9])
        #expect(try directory.contents() == ["out.bin"])
    }

    @Test func failureMidWriteLeavesNothing() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("out.bin")
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: path) { sink in
                try sink.write([UInt8](repeating: 1, count: 5 << 20))
                throw Interrupted()
            }
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test func failureKeepsThePreviousFile() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("model.safetensors")
        var first = SafetensorsWriter()
        first.add("w", floats: [1, 2, 3], shape: [3])
        try first.write(to: path)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: path) { sink in
                try sink.write([0, 0, 0, 0])
                throw Interrupted()
            }
        }
        #expect(try directory.contents() == ["model.safetensors"])
        #expect(try SafetensorsFile(path: path).floats("w") == [1, 2, 3])
    }

    @Test func replacingAnExistingFile() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("model.safetensors")
        for values: [Float] in [[1, 2], [5, 6, 7, 8]] {
            var writer = SafetensorsWriter()
            writer.add("w", floats: values, shape: [values.count])
            try writer.write(to: path)
            #expect(try SafetensorsFile(path: path).floats("w") == values)
        }
        #expect(try directory.contents() == ["model.safetensors"])
    }

    @Test func missingDirectoryIsATypedError() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("absent/model.safetensors")
        var writer = SafetensorsWriter()
        writer.add("w", floats: [1], shape: [1])
        #expect {
            try writer.write(to: path)
        } throws: { error in
            guard let error = error as? SafetensorsError, case .io = error else { return false }
            return error.description.contains(path)
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test func destinationThatIsADirectoryFailsCleanly() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let target = directory.path("taken")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: directory.path("taken/inside"), contents: Data([1]))
        #expect(throws: FileWriteError.self) {
            try AtomicFile.write(to: target) { sink in try sink.write([1, 2, 3]) }
        }
        #expect(try directory.contents() == ["taken"])
    }
}
