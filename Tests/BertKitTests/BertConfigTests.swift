import Foundation
import Testing
import BertKit

/// Fixture directory of this test target (source tree, derived from #filePath).
func fixturesURL(_ path: String = "") -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        .appendingPathComponent(path)
}

@Suite struct BertConfigTests {
    @Test func defaultsMatchTransformers() {
        let c = BertConfig()
        #expect(c.vocabSize == 30522 && c.hiddenSize == 768 && c.numHiddenLayers == 12)
        #expect(c.numAttentionHeads == 12 && c.intermediateSize == 3072 && c.hiddenAct == .gelu)
        #expect(c.hiddenDropoutProb == 0.1 && c.attentionProbsDropoutProb == 0.1)
        #expect(c.maxPositionEmbeddings == 512 && c.typeVocabSize == 2 && c.initializerRange == 0.02)
        #expect(c.layerNormEps == 1e-12 && c.padTokenId == 0 && c.positionEmbeddingType == .absolute)
        #expect(c.classifierDropout == nil && c.effectiveClassifierDropout == 0.1)
        #expect(c.numLabels == 2 && c.problemType == nil && c.id2label[1] == "LABEL_1")
    }

    @Test func emptyJSONGivesDefaults() throws {
        let c = try JSONDecoder().decode(BertConfig.self, from: Data("{}".utf8))
        #expect(c == BertConfig())
    }

    @Test func readsTransformersConfig() throws {
        let c = try BertConfig(contentsOf: fixturesURL("tiny_gelu/config.json"))
        #expect(c.vocabSize == 99 && c.hiddenSize == 20 && c.numHiddenLayers == 2)
        #expect(c.numAttentionHeads == 4 && c.headDim == 5 && c.intermediateSize == 37)
        #expect(c.typeVocabSize == 3 && c.maxPositionEmbeddings == 40 && c.layerNormEps == 1e-12)
        #expect(c.architectures == ["BertForPreTraining"])
        let odd = try BertConfig(contentsOf: fixturesURL("odd_gelu_new/config.json"))
        #expect(odd.hiddenAct == .geluNew && odd.layerNormEps == 1e-7 && odd.headDim == 7)
        let rel = try BertConfig(contentsOf: fixturesURL("tiny_relative_key_query/config.json"))
        #expect(rel.positionEmbeddingType == .relativeKeyQuery)
    }

    @Test(arguments: Activation.allCases) func everyActivationNameRoundTrips(_ act: Activation) throws {
        let json = "{\"hidden_act\": \"\(act.rawValue)\"}"
        let c = try JSONDecoder().decode(BertConfig.self, from: Data(json.utf8))
        #expect(c.hiddenAct == act)
    }

    @Test func labelsAndProblemType() throws {
        let json = """
            {"id2label": {"0": "neg", "1": "neu", "2": "pos"}, "label2id": {"neg": 0, "neu": 1, "pos": 2},
             "problem_type": "multi_label_classification", "classifier_dropout": 0.3}
            """
        let c = try JSONDecoder().decode(BertConfig.self, from: Data(json.utf8))
        #expect(c.numLabels == 3 && c.id2label[2] == "pos" && c.label2id["neu"] == 1)
        #expect(c.problemType == .multiLabelClassification && c.effectiveClassifierDropout == 0.3)
        let n = try JSONDecoder().decode(BertConfig.self, from: Data("{\"num_labels\": 5}".utf8))
        #expect(n.numLabels == 5 && n.id2label[4] == "LABEL_4")
    }

    @Test func writeThenReadIsIdentity() throws {
        var c = BertConfig(vocabSize: 57, hiddenSize: 21, numHiddenLayers: 3, numAttentionHeads: 3,
                           intermediateSize: 29, hiddenAct: .quickGelu, positionEmbeddingType: .relativeKey,
                           classifierDropout: 0.2, numLabels: 4, problemType: .regression)
        c.id2label[0] = "zero"
        c.label2id = Dictionary(uniqueKeysWithValues: c.id2label.map { ($1, $0) })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bertcfg-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try c.write(to: url)
        let back = try BertConfig(contentsOf: url)
        #expect(back == c)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"hidden_act\" : \"quick_gelu\""))
        #expect(text.contains("\"position_embedding_type\" : \"relative_key\""))
    }

    @Test func badConfigsAreTypedErrors() throws {
        let dir = FileManager.default.temporaryDirectory
        #expect(throws: BertError.missingFile(path: dir.appendingPathComponent("nope.json").path)) {
            try BertConfig(contentsOf: dir.appendingPathComponent("nope.json"))
        }
        for (json, needle) in [("{\"hidden_act\": \"mish\"}", "mish"),
                               ("{\"hidden_size\": 10, \"num_attention_heads\": 3}", "multiple"),
                               ("{\"vocab_size\": \"many\"}", "vocab_size"),
                               ("{\"position_embedding_type\": \"rotary\"}", "rotary"),
                               ("not json", "JSON")] {
            let url = dir.appendingPathComponent("bad-\(UUID()).json")
            try Data(json.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            do {
                _ = try BertConfig(contentsOf: url)
                Issue.record("accepted \(json)")
            } catch let error as BertError {
                #expect(error.description.contains(needle), "\(error)")
                #expect(error.description.contains(url.path), "\(error)")
            }
        }
    }
}
