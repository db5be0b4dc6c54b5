import Foundation
import Testing
import BertKit
import TensorCore
@testable import ParityTesting

/// Parameter tables and checkpoint diffs. BERT-base's names, shapes and module shares come from
/// transformers' BertModel(BertConfig()) (Scripts/make_parity_fixtures.py → bert_base_parameters.json).
@Suite struct ParameterAccountingTests {
    /// The HF guide's breakdown: embeddings 21.77 %, encoder 77.69 %, pooler 0.54 %.
    @Test func bertBaseSharesMatchTransformers() throws {
        let reference = try parityJSON("bert_base_parameters.json")
        var rng = RandomGenerator(seed: 0)
        let table = ParameterTable(BertModel(config: .base, initialization: .zeros, generator: &rng))
        #expect(table.total == reference["total"] as! Int)
        let params = (reference["parameters"] as! [[String: Any]]).map { ($0["name"] as! String, $0["shape"] as! [Int]) }
        #expect(table.rows.map(\.name) == params.map(\.0))
        #expect(table.rows.map(\.shape) == params.map(\.1))
        let modules = reference["modules"] as! [String: [String: Any]]
        let groups = table.groups(depth: 1)
        #expect(groups.map(\.prefix) == ["embeddings", "encoder", "pooler"])
        for g in groups {
            let want = try #require(modules[g.prefix])
            #expect(g.parameterCount == want["count"] as! Int, "\(g.prefix)")
            #expect(String(format: "%.2f", g.percent) == String(format: "%.2f", want["percent"] as! Double), "\(g.prefix)")
        }
        let text = table.formatted(rows: false)
        #expect(text.contains("embeddings") && text.contains("21.77%") && text.contains("77.69%") && text.contains("0.54%"))
        #expect(text.contains("109,482,240"), "\(text)")
        // Per layer: 12 equal layers.
        let layers = table.groups(depth: 3).filter { $0.prefix.hasPrefix("encoder.layer.") }
        #expect(layers.count == 12 && Set(layers.map(\.parameterCount)).count == 1)
    }

    /// A checkpoint's table reads only the header and agrees with the model built from its config.
    @Test func checkpointTableEqualsModelTable() throws {
        let dir = try bertFixtureDirectory("tiny_gelu")
        let fromFile = try ParameterTable(contentsOf: dir.weightsURL)
        var rng = RandomGenerator(seed: 0)
        let model = BertForPreTraining(config: dir.config, initialization: .zeros, generator: &rng)
        let fromModel = ParameterTable(model)
        // save_pretrained writes the tied decoder weight once (as the word embeddings), as the model counts it.
        #expect(fromFile.total == fromModel.total)
        #expect(fromFile.rows.count == fromModel.rows.count)
    }

    @Test func diffOfTwoCheckpoints() throws {
        let tiny = try bertFixtureDirectory("tiny_gelu"), odd = try bertFixtureDirectory("odd_gelu_new")
        let same = try CheckpointDiff(contentsOf: tiny.weightsURL, tiny.weightsURL)
        #expect(same.passed, "\(same)")
        let diff = try CheckpointDiff(contentsOf: tiny.weightsURL, odd.weightsURL, keys: .bert)
        #expect(!diff.passed)
        #expect(diff.onlyInFirst.isEmpty)
        // odd_gelu_new has a third layer: its tensors are only in the second file.
        #expect(diff.onlyInSecond.map(\.key).allSatisfy { $0.hasPrefix("encoder.layer.2.") })
        let layer2 = try ParameterTable(contentsOf: odd.weightsURL).groups(depth: 4).first { $0.prefix == "bert.encoder.layer.2" }
        #expect(diff.onlyInSecond.count == layer2?.tensorCount)
        let words = try #require(diff.shapeDifferences.first { $0.key == "embeddings.word_embeddings.weight" })
        #expect(words.first == [tiny.config.vocabSize, tiny.config.hiddenSize])
        #expect(words.second == [odd.config.vocabSize, odd.config.hiddenSize])
        #expect(diff.description.contains("shape differs: embeddings.word_embeddings.weight [99, 20] vs [57, 21]"))
    }

    /// A model against a checkpoint with BERT key normalisation: a BertModel against a
    /// BertForPreTraining checkpoint differs only by the `cls.*` head.
    @Test func modelAgainstCheckpoint() throws {
        let dir = try bertFixtureDirectory("tiny_gelu")
        let model = try dir.loadBertModel()
        let diff = try CheckpointDiff(model, contentsOf: dir.weightsURL)
        #expect(diff.onlyInFirst.isEmpty && diff.shapeDifferences.isEmpty, "\(diff)")
        #expect(!diff.onlyInSecond.isEmpty && diff.onlyInSecond.allSatisfy { $0.key.hasPrefix("cls.") }, "\(diff)")
    }
}
