import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// The batch source over shards and raw text: static masks read back as the instances were
/// written, a dynamic masker's saved state reproduces the following batches exactly, and shards
/// prepared with another vocabulary are refused.
@Suite struct InstanceDatasetSourceTests {
    static let vocabulary = PretrainingTestData.vocabulary()
    static var tables: PretrainingVocabulary { try! PretrainingVocabulary(vocabulary: Vocabulary(tokens: vocabulary)) }

    @Test func staticShardsGiveTheWrittenInstancesAsBatches() throws {
        let directory = try PretrainingTestData.temporaryDirectory("source-static")
        defer { try? FileManager.default.removeItem(at: directory) }
        let examples = PretrainingTestData.examples(50, seed: 3)
        try PretrainingSourceTestData.writeShards(PretrainingSourceTestData.instances(examples), to: directory,
                                                  vocabulary: Self.vocabulary, perShard: 16)
        let dataset = try PretrainingDataset(directory: directory.path)
        #expect(dataset.shards.count == 4 && dataset.count == 50)
        let source = try InstanceDatasetSource(dataset: dataset, vocabulary: Self.tables, sequenceLength: 24)
        let indices = [49, 0, 17, 33, 16]
        #expect(try source.batch(indices: indices)
                == TrainingBatch(examples: indices.map { examples[$0] }, sequenceLength: 24, padId: 0))
        #expect(try source.savedState().isEmpty)
        #expect(throws: TrainingError.self) { try InstanceDatasetSource(dataset: dataset, vocabulary: Self.tables, sequenceLength: 20) }
    }

    @Test func dynamicMaskerStateReproducesTheNextBatches() throws {
        let directory = try PretrainingTestData.temporaryDirectory("source-dynamic")
        defer { try? FileManager.default.removeItem(at: directory) }
        let examples = PretrainingTestData.examples(40, seed: 5, masked: false)
        try PretrainingSourceTestData.writeShards(PretrainingSourceTestData.instances(examples, masked: false), to: directory,
                                                  vocabulary: Self.vocabulary, masked: false)
        let dataset = try PretrainingDataset(directory: directory.path)
        #expect(throws: TrainingError.self) { try InstanceDatasetSource(dataset: dataset, vocabulary: Self.tables, sequenceLength: 24) }
        let a = try InstanceDatasetSource(dataset: dataset, vocabulary: Self.tables, sequenceLength: 24,
                                          masker: DynamicMasker(seed: 11))
        let first = try a.batch(indices: Array(0..<8))
        #expect(first.maskedTokenCount > 0)
        let state = try a.savedState()
        let next = [try a.batch(indices: Array(8..<16)), try a.batch(indices: Array(0..<8))]
        #expect(next[1] != first, "the same instances must get fresh masks")
        let b = try InstanceDatasetSource(dataset: dataset, vocabulary: Self.tables, sequenceLength: 24,
                                          masker: DynamicMasker(seed: 999))
        try b.restoreState(state)
        #expect([try b.batch(indices: Array(8..<16)), try b.batch(indices: Array(0..<8))] == next)
    }

    @Test func rawTextIsPreparedDeterministically() throws {
        let directory = try PretrainingTestData.temporaryDirectory("source-text")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("corpus.txt")
        try PretrainingSourceTestData.text(documents: 12).write(to: file, atomically: true, encoding: .utf8)
        let one = try RawTextInstances.prepare(paths: [directory.path], vocabulary: Self.tables, maxSeqLength: 24,
                                               seed: 7, staticMasks: false)
        let two = try RawTextInstances.prepare(paths: [directory.path], vocabulary: Self.tables, maxSeqLength: 24,
                                               seed: 7, staticMasks: false)
        #expect(!one.isEmpty && one == two)
        #expect(one.allSatisfy { $0.maskedPositions.isEmpty && $0.tokens.count <= 24 && !$0.tokens.contains(1) })
        let masked = try RawTextInstances.prepare(paths: [file.path], vocabulary: Self.tables, maxSeqLength: 24,
                                                  seed: 7, staticMasks: true)
        #expect(masked.allSatisfy { !$0.maskedPositions.isEmpty })
    }

    @Test func shardsOfAnotherVocabularyAreRefused() throws {
        let directory = try PretrainingTestData.temporaryDirectory("source-vocab")
        defer { try? FileManager.default.removeItem(at: directory) }
        var other = Self.vocabulary
        other.swapAt(10, 11)
        try PretrainingSourceTestData.writeShards(PretrainingSourceTestData.instances(PretrainingTestData.examples(8)),
                                                  to: directory, vocabulary: other)
        let dataset = try PretrainingDataset(directory: directory.path)
        let own = VocabularyChecksum.of(Vocabulary(tokens: Self.vocabulary))
        #expect(dataset.shards.allSatisfy { $0.vocabularyChecksum == VocabularyChecksum.of(Vocabulary(tokens: other)) })
        #expect(own != VocabularyChecksum.of(Vocabulary(tokens: other)))
        #expect(throws: TrainingError.self) { try VocabularyChecksum.require(own, matches: dataset, vocabularyPath: "vocab.txt") }
        try VocabularyChecksum.require(VocabularyChecksum.of(Vocabulary(tokens: other)), matches: dataset, vocabularyPath: "v")
    }
}
