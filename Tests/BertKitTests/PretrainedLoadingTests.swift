import Foundation
import Testing
import BertKit
import TensorCore

/// `BertModelDirectory.load(_:numLabels:)`: every head class on the tiny BertForPreTraining
/// checkpoint reports the same missing (newly initialised) and unexpected (unused) weights as
/// transformers' `from_pretrained(…, output_loading_info=True)` (Scripts/make_loading_info_fixtures.py).
@Suite struct PretrainedLoadingTests {
    static let reference: [String: [String: [String]]] = {
        let url = fixturesURL("tiny_gelu").appendingPathComponent("loading_info.json")
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return json["classes"] as! [String: [String: [String]]]
    }()

    func check<M: BertPretrainedModel>(_ type: M.Type, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try BertModelDirectory(fixturesURL("tiny_gelu"))
        let loaded = try directory.load(type, seed: 5)
        let want = try #require(Self.reference[String(describing: type)], sourceLocation: sourceLocation)
        #expect(loaded.newlyInitialized.sorted() == want["missing"], sourceLocation: sourceLocation)
        #expect(loaded.unused.sorted() == want["unexpected"], sourceLocation: sourceLocation)
        #expect(!loaded.model.isTraining, "from_pretrained returns eval mode", sourceLocation: sourceLocation)
        // Every weight the checkpoint has is loaded exactly (no random draw replaced it).
        let checkpoint = try directory.tensors()
        let named = Dictionary(loaded.model.namedParameters(), uniquingKeysWith: { a, _ in a })
        for (key, value) in checkpoint {
            let name = named[key] != nil ? key : String(key.dropFirst("bert.".count))
            guard let p = named[name] else { continue }
            #expect(p.value.toArray() == value.toArray(), "\(key) loaded", sourceLocation: sourceLocation)
        }
        // New weights: HF initialisation (weights ~ N(0, 0.02), biases 0).
        for name in loaded.newlyInitialized {
            let values = named[name]!.value.toArray()
            if name.hasSuffix("bias") {
                #expect(values.allSatisfy { $0 == 0 }, "\(name) is zero", sourceLocation: sourceLocation)
            } else {
                let std = (values.map { Double($0 * $0) }.reduce(0, +) / Double(values.count)).squareRoot()
                #expect(std > 0.005 && std < 0.05, "\(name) std \(std)", sourceLocation: sourceLocation)
            }
        }
        if want["missing"]!.isEmpty && want["unexpected"]!.isEmpty {
            #expect(loaded.warning == nil, sourceLocation: sourceLocation)
        } else {
            let warning = try #require(loaded.warning, sourceLocation: sourceLocation)
            for name in loaded.newlyInitialized + loaded.unused {
                #expect(warning.contains(name), sourceLocation: sourceLocation)
            }
        }
    }

    @Test func everyHeadClassReportsLikeTransformers() throws {
        try check(BertForPreTraining.self)
        try check(BertForMaskedLM.self)
        try check(BertLMHeadModel.self)
        try check(BertForNextSentencePrediction.self)
        try check(BertForSequenceClassification.self)
        try check(BertForTokenClassification.self)
        try check(BertForQuestionAnswering.self)
        try check(BertForMultipleChoice.self)
    }

    @Test func numLabelsAndSeed() throws {
        let directory = try BertModelDirectory(fixturesURL("tiny_gelu"))
        let a = try directory.load(BertForSequenceClassification.self, numLabels: 5, seed: 1)
        #expect(a.model.classifier.weight.shape == [5, directory.config.hiddenSize])
        #expect(a.model.config.id2label[4] == "LABEL_4")
        let b = try directory.load(BertForSequenceClassification.self, numLabels: 5, seed: 1)
        let c = try directory.load(BertForSequenceClassification.self, numLabels: 5, seed: 2)
        #expect(a.model.classifier.weight.value.toArray() == b.model.classifier.weight.value.toArray())
        #expect(a.model.classifier.weight.value.toArray() != c.model.classifier.weight.value.toArray())
        #expect(throws: BertError.self) { try directory.load(BertForSequenceClassification.self, numLabels: 0) }
    }

    @Test func wrongShapeIsATypedErrorNamingTheFile() throws {
        let directory = try BertModelDirectory(fixturesURL("tiny_gelu"))
        #expect {
            try directory.load(BertForSequenceClassification.self) { $0.intermediateSize += 1 }
        } throws: { error in
            "\(error)".contains("model.safetensors") && "\(error)".contains("intermediate.dense")
        }
    }
}
