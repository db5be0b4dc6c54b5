import Foundation
import Testing
import TensorCore

/// `Tensor` / `IntTensor` level safetensors API.
@Suite struct SafetensorsTensorTests {
    @Test func tensorsRoundTripIncludingStridedViews() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("t.safetensors")
        let base = Tensor((0..<12).map(Float.init), shape: [3, 4])
        let transposed = base.transposed(0, 1)  // [4, 3], not contiguous
        #expect(!transposed.isContiguous)
        try Safetensors.save(["base": base, "t": transposed, "scalar": Tensor(2.5)],
                             intTensors: ["ids": IntTensor([101, 7592, 102], shape: [1, 3])],
                             metadata: ["format": "pt"], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        let t = try file.tensor("t")
        #expect(t.shape == [4, 3] && t.isContiguous)
        #expect(t.toArray() == transposed.toArray())
        #expect(try file.tensor("scalar").shape == [])
        #expect(try file.tensor("scalar").item == 2.5)
        let ids = try file.intTensor("ids")
        #expect(ids.shape == [1, 3] && ids.values == [101, 7592, 102])
        let loaded = try Safetensors.load(path)
        #expect(Set(loaded.keys) == ["base", "t", "scalar", "ids"])
        #expect(loaded["base"]!.toArray() == base.toArray())
    }

    @Test func halfPrecisionFileLoadsAsFloatTensors() throws {
        let file = try SafetensorsFile(path: OptimFixtures.path("safetensors/dtypes.safetensors"))
        let bf16 = try file.tensor("weights.bf16")
        #expect(bf16.shape == [2, 8])
        #expect(bf16.toArray().map(\.bitPattern) == (try file.floats("weights.bf16")).map(\.bitPattern))
        #expect(try file.intTensor("ids.i32").values.count == 5)
        #expect(throws: SafetensorsError.self) { _ = try file.intTensor("weights.f32") }
    }
}
