import Foundation
import BertKit
import TensorCore
import Tokenization

/// Synthetic pretraining data for the training tests: a vocabulary of special tokens and
/// `w0…w(n-1)`, and random `[CLS] A [SEP] B [SEP]` instances with ~15 % masked positions.
enum PretrainingTestData {
    static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    static func vocabulary(words: Int = 59) -> [String] { specials + (0..<words).map { "w\($0)" } }

    /// Deterministic instances (seeded), each at most `maxLength` tokens; `masked: false` gives no label.
    static func examples(_ count: Int, vocabularySize: Int = 64, maxLength: Int = 24, seed: UInt64 = 1,
                         masked: Bool = true) -> [PretrainingExample] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            let a = 2 + rng.nextInt(below: (maxLength - 3) / 2 - 1), b = 2 + rng.nextInt(below: (maxLength - 3) / 2 - 1)
            var ids = [2] + (0..<a).map { _ in 5 + rng.nextInt(below: vocabularySize - 5) } + [3]
            let first = ids.count
            ids += (0..<b).map { _ in 5 + rng.nextInt(below: vocabularySize - 5) } + [3]
            var positions: [Int] = [], labels: [Int] = []
            if masked {
                for k in ids.indices where ids[k] >= 5 && (rng.nextFloat() < 0.15 || positions.isEmpty && k == 1) {
                    positions.append(k)
                    labels.append(ids[k])
                    ids[k] = 4
                }
            }
            return PretrainingExample(inputIds: ids, segmentIds: ids.indices.map { $0 < first ? 0 : 1 },
                                      maskedPositions: positions, maskedLabels: labels,
                                      nextSentenceLabel: rng.nextInt(below: 2))
        }
    }

    /// The same instances as google-research/bert jsonl lines.
    static func jsonl(_ examples: [PretrainingExample], vocabulary: [String]) -> String {
        examples.map { e in
            var tokens = e.inputIds.map { vocabulary[$0] }
            let labels = e.maskedLabels.map { "\"\(vocabulary[$0])\"" }.joined(separator: ",")
            tokens = tokens.map { "\"\($0)\"" }
            return "{\"tokens\":[\(tokens.joined(separator: ","))],\"segment_ids\":[\(e.segmentIds.map(String.init).joined(separator: ","))],"
                + "\"is_random_next\":\(e.nextSentenceLabel == 1),\"masked_lm_positions\":[\(e.maskedPositions.map(String.init).joined(separator: ","))],"
                + "\"masked_lm_labels\":[\(labels)]}"
        }.joined(separator: "\n") + "\n"
    }

    static func config(vocabularySize: Int = 64, dropout: Double = 0.1) -> BertConfig {
        BertConfig(vocabSize: vocabularySize, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                   intermediateSize: 32, hiddenDropoutProb: dropout, attentionProbsDropoutProb: dropout,
                   maxPositionEmbeddings: 32)
    }

    static func model(seed: UInt64 = 7, dropout: Double = 0.1) -> BertForPreTraining {
        var rng = RandomGenerator(seed: seed)
        let model = BertForPreTraining(config: config(dropout: dropout), generator: &rng)
        model.train()
        return model
    }

    static func trainer(_ model: BertForPreTraining, lr: Double = 1e-3, steps: Int = 20) -> PretrainingTrainer {
        let groups = ParameterGroup.excludingWeightDecay(model.namedParameters(), learningRate: lr, weightDecay: 0.01)
        return PretrainingTrainer(model: model, optimizer: AdamW(groups), schedule: .linear(warmupSteps: 2, totalSteps: steps),
                                  maxGradientNorm: 1.0)
    }

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The `loss` of each train record of a metrics.jsonl, as bit patterns, by step.
    static func trainLosses(_ url: URL) throws -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        for record in try MetricsLog.read(url) where record["kind"] as? String == "train" {
            out[record["step"] as! Int] = (record["loss"] as! Double).bitPattern
        }
        return out
    }
}

/// Shards and raw text for the data-source tests (the same synthetic vocabulary).
enum PretrainingSourceTestData {
    /// `examples` as shard instances.
    static func instances(_ examples: [PretrainingExample], masked: Bool = true) -> [TrainingInstance] {
        examples.map { e in
            TrainingInstance(tokens: e.inputIds.map { Int32($0) }, firstSegmentLength: e.segmentIds.filter { $0 == 0 }.count,
                             isRandomNext: e.nextSentenceLabel == 1,
                             maskedPositions: masked ? e.maskedPositions.map { Int32($0) } : [],
                             maskedLabels: masked ? e.maskedLabels.map { Int32($0) } : [])
        }
    }

    /// Writes `instances` as a directory of shards (`perShard` per file, so several files).
    static func writeShards(_ instances: [TrainingInstance], to directory: URL, vocabulary: [String], masked: Bool = true,
                            perShard: Int = 40) throws {
        let checksum = VocabularyChecksum.of(Vocabulary(tokens: vocabulary))
        let writer = try ShardSetWriter(directory: directory.path, maxSeqLength: 24, maxPredictions: 20,
                                        staticallyMasked: masked, instancesPerShard: perShard, vocabularyChecksum: checksum)
        for instance in instances { try writer.write(instance) }
        try writer.finish()
    }

    /// Raw text: `documents` documents of 3–6 sentences of 3–8 words `w0…`, a blank line between documents.
    static func text(documents: Int, seed: UInt64 = 9) -> String {
        var rng = RandomGenerator(seed: seed)
        return (0..<documents).map { _ in
            (0..<(3 + rng.nextInt(below: 4))).map { _ in
                (0..<(3 + rng.nextInt(below: 6))).map { _ in "w\(rng.nextInt(below: 59))" }.joined(separator: " ")
            }.joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }
}
