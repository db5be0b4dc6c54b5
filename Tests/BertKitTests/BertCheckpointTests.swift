import Foundation
import Testing
import BertKit
import TensorCore

@Suite struct BertCheckpointTests {
    @Test func strictLoadOfTransformersCheckpoint() throws {
        let fx = try BertFixture("tiny_gelu")
        var rng = RandomGenerator(seed: 0)
        let model = BertForPreTraining(config: fx.config, generator: &rng)
        let report = try BertCheckpoint.load(contentsOf: fx.dir.appendingPathComponent("model.safetensors"), into: model)
        #expect(report.isClean)
        #expect(model.bert.embeddings.wordEmbeddings.weight.value.toArray()
            == fx.base["bert.embeddings.word_embeddings.weight"]!.toArray())
    }

    @Test func prefixLessLegacyNamesAndBuffers() throws {
        let fx = try BertFixture("tiny_gelu")
        var legacy: [String: Tensor] = ["embeddings.position_ids": Tensor.zeros([1, 40])]
        for (k, v) in fx.base where k.hasPrefix("bert.") {
            var name = String(k.dropFirst(5))
            if name.hasSuffix("LayerNorm.weight") { name = String(name.dropLast(6)) + "gamma" }
            if name.hasSuffix("LayerNorm.bias") { name = String(name.dropLast(4)) + "beta" }
            legacy[name] = v
        }
        var rng = RandomGenerator(seed: 0)
        let model = BertModel(config: fx.config, generator: &rng)
        #expect(try BertCheckpoint.load(legacy, into: model).isClean)
        #expect(model.encoder.layer[1].output.layerNorm.weight.value.toArray()
            == fx.base["bert.encoder.layer.1.output.LayerNorm.weight"]!.toArray())
        // The same prefix-less checkpoint fills the bert.* part of a head model.
        let mlm = BertForMaskedLM(config: fx.config, generator: &rng)
        let r = try BertCheckpoint.load(legacy, into: mlm, strict: false)
        #expect(r.missing.allSatisfy { $0.hasPrefix("cls.") } && !r.missing.isEmpty)
    }

    @Test func strictLoadReportsMissingUnexpectedAndWrongShape() throws {
        let fx = try BertFixture("tiny_gelu")
        var t = fx.base
        t.removeValue(forKey: "bert.pooler.dense.bias")
        t["bert.encoder.layer.0.attention.self.query.weight"] = Tensor.zeros([20, 21])
        t["something.else"] = Tensor.zeros([1])
        var rng = RandomGenerator(seed: 0)
        let model = BertForPreTraining(config: fx.config, generator: &rng)
        let before = model.bert.embeddings.wordEmbeddings.weight.value.toArray()
        do {
            try BertCheckpoint.load(t, into: model)
            Issue.record("strict load accepted a mismatching checkpoint")
        } catch BertError.checkpointMismatch(let report) {
            #expect(report.missing == ["bert.pooler.dense.bias"])
            #expect(report.unexpected == ["something.else"])
            #expect(report.wrongShape.map(\.key) == ["bert.encoder.layer.0.attention.self.query.weight"])
            #expect(report.wrongShape.first?.checkpointShape == [20, 21])
        }
        #expect(model.bert.embeddings.wordEmbeddings.weight.value.toArray() == before, "strict failure loads nothing")
    }

    @Test func saveThenLoadRoundTrips() throws {
        var rng = RandomGenerator(seed: 11)
        let config = BertConfig(vocabSize: 50, hiddenSize: 12, numHiddenLayers: 1, numAttentionHeads: 3,
                                intermediateSize: 17, maxPositionEmbeddings: 16)
        let model = BertForPreTraining(config: config, generator: &rng)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bertsave-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try BertCheckpoint.save(model, config: config, architecture: "BertForPreTraining", to: dir)
        let back = try readSafetensors(dir.appendingPathComponent("model.safetensors"))
        #expect(Set(back.keys) == Set(model.namedParameters().map(\.0)))
        let loaded = BertForPreTraining(config: try BertConfig(contentsOf: dir.appendingPathComponent("config.json")),
                                        generator: &rng)
        try BertCheckpoint.load(back, into: loaded)
        for ((n, a), (_, b)) in zip(model.namedParameters(), loaded.namedParameters()) {
            #expect(a.value.toArray() == b.value.toArray(), "\(n)")
        }
        // For Scripts/check_bert_save.py: also write the model and its outputs where asked.
        if let keep = ProcessInfo.processInfo.environment["BERT_SAVE_DIR"] {
            let url = URL(fileURLWithPath: keep)
            try BertCheckpoint.save(model, config: config, architecture: "BertForPreTraining", to: url)
            model.eval()
            let ids = IntTensor([2, 7, 9, 11, 3, 2, 8, 3], shape: [2, 4])
            let out = try model(try BertInput(inputIds: ids, config: config))
            let json: [String: Any] = ["input_ids": [[2, 7, 9, 11], [3, 2, 8, 3]],
                                       "prediction_logits": out.predictionLogits.toArray(),
                                       "seq_relationship_logits": [Array(out.seqRelationshipLogits.toArray()[0..<2]),
                                                                   Array(out.seqRelationshipLogits.toArray()[2..<4])]]
            try JSONSerialization.data(withJSONObject: json).write(to: url.appendingPathComponent("swift_outputs.json"))
        }
    }

    @Test func modelDirectoryErrorsNameTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bertdir-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func expectError(_ needle: String) {
            do { _ = try BertModelDirectory(dir).loadBertModel(); Issue.record("accepted (\(needle))") } catch {
                #expect("\(error)".contains(needle), "\(error)")
            }
        }
        expectError("config.json")
        try Data("{\"hidden_size\": 12, \"num_attention_heads\": 3, \"num_hidden_layers\": 1, \"vocab_size\": 50}".utf8)
            .write(to: dir.appendingPathComponent("config.json"))
        expectError("model.safetensors")
        try Data("garbage".utf8).write(to: dir.appendingPathComponent("model.safetensors"))
        expectError("vocab.txt")
        try Data("[PAD]\n".utf8).write(to: dir.appendingPathComponent("vocab.txt"))
        expectError("model.safetensors")
    }

    @Test func loadsTinyModelDirectory() throws {
        let dir = try BertModelDirectory(fixturesURL("tiny_gelu"))
        let model = try dir.loadBertModel()
        #expect(model.pooler != nil && model.config.hiddenSize == 20)
        #expect(dir.vocabularyURL.lastPathComponent == "vocab.txt")
    }

    /// With both vocabulary files, `vocabularyURL` names the one `loadTokenizer()` reads
    /// (tokenizer.json), so messages about the tokenizer name the right file.
    @Test func vocabularyURLIsTheFileTheTokenizerComesFrom() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bertvocab-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(at: fixturesURL("tiny_gelu").appendingPathComponent(name),
                                             to: dir.appendingPathComponent(name))
        }
        #expect(try BertModelDirectory(dir).vocabularyURL.lastPathComponent == "vocab.txt")
        try Data("{not json".utf8).write(to: dir.appendingPathComponent("tokenizer.json"))
        let both = try BertModelDirectory(dir)
        #expect(both.vocabularyURL.lastPathComponent == "tokenizer.json")
        do { _ = try both.loadTokenizer(); Issue.record("a malformed tokenizer.json was accepted") } catch {
            #expect("\(error)".contains(both.vocabularyURL.path), "\(error)")
        }
    }
}
