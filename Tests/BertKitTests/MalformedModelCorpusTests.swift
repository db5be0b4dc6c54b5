import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The malformed-input corpus for model.safetensors read through BertKit (issue 15), the model
/// directory around it, and the write side: `BertCheckpoint.save` leaves either the old pair or
/// the new one, never a mix and never a staging directory.
@Suite struct MalformedModelCorpusTests {
    /// A safetensors file: length prefix, header, data.
    static func safetensors(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { Array($0) } + json + data
    }

    static let cases: [(String, [UInt8], [String])] = [
        ("zero-element shape whose strides overflow",
         safetensors(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[0,4294967296,4294967296],"data_offsets":[8,8]}}"#,
                     data: [UInt8](repeating: 0, count: 8)), ["shape", "overflows"]),
        ("element count overflows", safetensors(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#),
         ["shape"]),
        ("shorter than 8 bytes", [1, 2, 3], ["8"]),
        ("header length 2^64-1", safetensors("{}", declaredLength: UInt64.max), ["header"]),
        ("header past the end", safetensors("{}", declaredLength: 100), ["header"]),
        ("header not JSON", safetensors("{\"a\":"), ["header"]),
        ("unknown dtype", safetensors(#"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
         ["Q4"]),
        ("offsets past the data", safetensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,400]}}"#, data: [0, 0, 0, 0]),
         ["a"]),
        ("bytes do not match the shape", safetensors(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#,
                                                     data: [0, 0, 0, 0]), ["a"]),
        ("negative dimension", safetensors(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
         ["shape"]),
    ]

    @Test(arguments: cases)
    func malformedSafetensors(name: String, bytes: [UInt8], fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("model.safetensors", bytes)
        let before = scratch.listing()
        do {
            _ = try readSafetensors(url)
            Issue.record("\(name): accepted")
        } catch let error as BertError {
            expectMessage(error.description, names: url.path, fragments, name)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    /// A model directory copied from the tiny fixture, with one file replaced.
    static func modelDirectory(_ scratch: Scratch) throws -> URL {
        let source = fixturesURL("tiny_gelu")
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: scratch.path(name))
        }
        return scratch.url
    }

    @Test(arguments: ["fifo", "directory", "wrong shapes", "empty"])
    func badWeightsInAModelDirectory(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = try Self.modelDirectory(scratch)
        let weights = scratch.path("model.safetensors")
        try FileManager.default.removeItem(at: weights)
        switch kind {
        case "fifo": try scratch.fifo("model.safetensors")
        case "directory": try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: false)
        case "wrong shapes":
            try writeSafetensors(["embeddings.word_embeddings.weight": Tensor.zeros([3, 3])], to: weights)
        default: try scratch.write("model.safetensors", [])
        }
        let before = scratch.listing()
        do {
            _ = try BertModelDirectory(dir).loadBertModel()
            Issue.record("\(kind) weights were accepted")
        } catch let error as BertError {
            expectMessage(error.description, names: weights.path, [], kind)
        }
        #expect(scratch.listing() == before)
    }

    /// tokenizer_config.json is optional; as a FIFO it is skipped (was: a hang), not read.
    @Test func tokenizerConfigFIFOIsSkipped() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = try Self.modelDirectory(scratch)
        try scratch.fifo("tokenizer_config.json")
        let tokenizer = try BertModelDirectory(dir).loadTokenizer()
        #expect(try tokenizer.encode("hello").ids.count >= 3)
    }

    /// A module whose only parameter has a name safetensors reserves: writing it fails.
    final class Unwritable: Module {
        let p = Parameter(Tensor.zeros([2]))
        var children: [ModuleChild] { [.init("__metadata__", p)] }
    }

    @Test func failedSaveLeavesThePreviousPairAndNoStaging() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = try Self.modelDirectory(scratch)
        let config = try BertConfig(contentsOf: dir.appendingPathComponent("config.json"))
        let before = scratch.listing()
        let bytes = try ["config.json", "model.safetensors"].map { try Data(contentsOf: scratch.path($0)) }
        do {
            try BertCheckpoint.save(Unwritable(), config: config, architecture: "BertModel", to: dir)
            Issue.record("an unwritable model was saved")
        } catch let error as BertError {
            guard case .cannotWrite = error else { Issue.record("expected cannotWrite, got \(error)"); return }
            #expect(!error.description.contains("NSCocoaErrorDomain"))
        }
        #expect(scratch.listing() == before, "staging left behind or files changed")
        #expect(try ["config.json", "model.safetensors"].map { try Data(contentsOf: scratch.path($0)) } == bytes)

        // Into a directory that does not exist yet: nothing is created at all.
        let fresh = scratch.path("fresh")
        #expect(throws: BertError.self) {
            try BertCheckpoint.save(Unwritable(), config: config, architecture: "BertModel", to: fresh)
        }
        #expect(scratch.listing() == before)
    }

    @Test func saveWritesBothFilesAndKeepsOthers() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = try Self.modelDirectory(scratch)
        let model = try BertModelDirectory(dir).loadBertModel()
        for target in [dir, scratch.path("new/nested")] {
            try BertCheckpoint.save(model, config: model.config, architecture: "BertModel", to: target)
            let names = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
            #expect(names == (target == dir ? ["config.json", "model.safetensors", "vocab.txt"]
                                            : ["config.json", "model.safetensors"]))
            let reloaded = try readSafetensors(target.appendingPathComponent("model.safetensors"))
            #expect(reloaded.count == model.namedParameters().count)
        }
        #expect(!scratch.listing().contains { $0.contains(".partial-") })
    }

    @Test func savingOverAFileIsATypedError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("taken", "x")
        #expect(throws: BertError.cannotWrite(path: file.path, reason: "exists and is not a directory")) {
            try BertCheckpoint.save(Unwritable(), config: BertConfig(), architecture: "BertModel", to: file)
        }
    }

    /// `encode` cuts a long text before tokenizing it; the vectors equal those of the ids from
    /// tokenizing the whole text and truncating.
    @Test func longTextIsCutBeforeTokenizingWithTheSameResult() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = try BertModelDirectory(try Self.modelDirectory(scratch))
        let model = try dir.loadBertModel()
        var tokenizer = try dir.loadTokenizer()
        let words = try String(contentsOf: dir.vocabularyURL, encoding: .utf8).split(separator: "\n").dropFirst(5)
        let long = (0..<3000).map { String(words[words.startIndex + ($0 * 7) % words.count]) }.joined(separator: " ")
        #expect(long.utf8.count > 40 * 32 + 4096, "long enough to take the prefix path")
        let got = try model.sentenceEmbeddings([long, "short"], tokenizer: tokenizer, pooling: .mean)
        tokenizer.truncation = Truncation(maxLength: model.config.maxPositionEmbeddings)
        let ids = try [long, "short"].map { try tokenizer.encode($0).ids }
        #expect(ids[0].count == model.config.maxPositionEmbeddings)
        let want = try model.sentenceEmbeddings(ids, pooling: .mean)
        #expect(got == want)
    }
}
