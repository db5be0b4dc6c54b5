import Foundation
import Testing
import BertKit

/// The shard format: round trip through several shards, random access by global index,
/// batches, and typed errors for damaged files.
@Suite struct PretrainingShardTests {
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "shards-\(UUID().uuidString)"
        return path
    }

    static func referenceInstances() throws -> [TrainingInstance] {
        try PretrainingFixtures.run(PretrainingFixtures.cases().first { $0.name == "sotu" }!)
    }

    @Test func roundTripAcrossShardsByGlobalIndex() throws {
        let instances = try Self.referenceInstances()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try ShardSetWriter(directory: directory, maxSeqLength: 128, maxPredictions: 20,
                                        instancesPerShard: 40)
        for instance in instances { try writer.write(instance) }
        try writer.finish()
        #expect(writer.shardCount == (instances.count + 39) / 40)
        let dataset = try PretrainingDataset(directory: directory)
        #expect(dataset.count == instances.count)
        #expect(dataset.shards.count == writer.shardCount)
        #expect(dataset.staticallyMasked)
        for k in stride(from: instances.count - 1, through: 0, by: -1) {       // any order
            #expect(try dataset.instance(at: k) == instances[k])
        }
        #expect(throws: PretrainingError.indexOutOfRange(index: instances.count, count: instances.count)) {
            try dataset.instance(at: instances.count)
        }
    }

    @Test func batchPadsAndLabels() throws {
        let instances = Array(try Self.referenceInstances().prefix(3))
        let vocab = try PretrainingFixtures.vocabulary()
        let batch = PretrainingBatch(instances: instances, sequenceLength: 130, maxPredictions: 20, padId: vocab.padId)
        #expect(batch.inputIds.count == 3 * 130 && batch.maskedPositions.count == 3 * 20)
        for (row, instance) in instances.enumerated() {
            let n = instance.tokens.count
            #expect(Array(batch.inputIds[(row * 130)..<(row * 130 + n)]) == instance.tokens.map { Int($0) })
            #expect(batch.inputIds[(row * 130 + n)..<(row * 130 + 130)].allSatisfy { $0 == Int(vocab.padId) })
            #expect(batch.attentionMask[(row * 130)..<(row * 130 + 130)].reduce(0, +) == n)
            #expect(Array(batch.tokenTypeIds[(row * 130)..<(row * 130 + n)]) == instance.segmentIds.map { Int($0) })
            let labelled = (0..<130).filter { batch.mlmLabels[row * 130 + $0] != -100 }
            #expect(labelled == instance.maskedPositions.map { Int($0) })
            #expect(labelled.map { batch.mlmLabels[row * 130 + $0] } == instance.maskedLabels.map { Int($0) })
            let m = instance.maskedPositions.count
            #expect(batch.maskedWeights[(row * 20)..<(row * 20 + 20)].reduce(0, +) == Float(m))
            #expect(batch.nextSentence[row] == (instance.isRandomNext ? 1 : 0))
        }
    }

    @Test func damagedShardsGiveTypedErrors() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try ShardSetWriter(directory: directory, maxSeqLength: 128, maxPredictions: 20)
        for instance in try Self.referenceInstances().prefix(5) { try writer.write(instance) }
        try writer.finish()
        let path = directory + "/" + ShardFormat.shardName(0)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        func expectMalformed(_ data: Data, _ what: Comment) throws {
            try data.write(to: URL(fileURLWithPath: path))
            #expect(throws: PretrainingError.self, what) {
                let shard = try ShardReader(path: path)
                for k in 0..<shard.count { _ = try shard.instance(at: k) }
            }
        }
        try expectMalformed(good.prefix(good.count - 1), "truncated")
        try expectMalformed(good.prefix(20), "too short")
        try expectMalformed(Data("not a shard at all, just text that is long enough to have a footer".utf8), "text")
        var badRecord = good
        badRecord[8] = 0xFF; badRecord[9] = 0xFF                          // first record length 65535
        try expectMalformed(badRecord, "record length")
        var badIndex = good
        let indexOffset = good.count - ShardFormat.footerSize - 5 * 8
        badIndex[indexOffset] = 0x03                                       // unaligned record offset
        try expectMalformed(badIndex, "index")
        #expect(throws: PretrainingError.self) { try ShardReader(path: directory + "/missing.bkpt") }
    }

    @Test func emptyDataSetHasNoShards() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try ShardSetWriter(directory: directory, maxSeqLength: 16, maxPredictions: 3)
        try writer.finish()
        let dataset = try PretrainingDataset(directory: directory)
        #expect(dataset.count == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
