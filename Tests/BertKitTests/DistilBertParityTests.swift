import Foundation
import Testing
import BertKit
import TensorCore

/// One case directory written by Scripts/make_distilbert_fixtures.py (Fixtures/distilbert/<case>).
struct DistilBertFixture {
    let dir: URL
    let config: DistilBertConfig
    let weights: [String: Tensor]
    let json: [String: Any]

    init(_ name: String) throws {
        dir = fixturesURL("distilbert/" + name)
        config = try DistilBertConfig(contentsOf: dir.appendingPathComponent("config.json"))
        weights = try readSafetensors(dir.appendingPathComponent("model.safetensors"))
        let data = try Data(contentsOf: dir.appendingPathComponent("inputs.json"))
        json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func file(_ name: String) throws -> [String: Tensor] {
        try readSafetensors(dir.appendingPathComponent(name + ".safetensors"))
    }

    func ints(_ key: String) -> IntTensor {
        let rows = json[key] as! [Any]
        if let m = rows as? [[Int]] { return IntTensor(m.flatMap { $0 }, shape: [m.count, m.first?.count ?? 0]) }
        let v = rows as! [Int]
        return IntTensor(v, shape: [v.count])
    }

    func floats(_ key: String, shape: [Int]) -> Tensor {
        let rows = json[key] as! [[[Double]]]
        return Tensor(rows.flatMap { $0.flatMap { $0 } }.map { Float($0) }, shape: shape)
    }

    func input() throws -> DistilBertInput {
        try DistilBertInput(inputIds: ints("input_ids"), attentionMask: ints("attention_mask"), config: config)
    }
}

/// DistilBERT forward values (1e-5) and the gradient of every named parameter (1e-4 relative)
/// against transformers 5.23, from Scripts/make_distilbert_fixtures.py. Eval mode (dropout off).
@Suite struct DistilBertParityTests {
    @Test func configReadsEveryField() throws {
        let config = try DistilBertFixture("tiny").config
        #expect(config.vocabSize == 99 && config.dim == 16 && config.nLayers == 2 && config.nHeads == 4)
        #expect(config.hiddenDim == 37 && config.maxPositionEmbeddings == 24 && config.activation == .gelu)
        #expect(config.numLabels == 3 && config.padTokenId == 0 && !config.sinusoidalPosEmbds)
        #expect(try DistilBertFixture("sinusoidal").config.sinusoidalPosEmbds)
        #expect(try DistilBertFixture("sinusoidal").config.activation == .relu)
    }

    @Test(arguments: ["tiny", "sinusoidal"]) func modelForwardAndGradients(_ name: String) throws {
        let fx = try DistilBertFixture(name)
        let file = try fx.file("DistilBertModel")
        var rng = RandomGenerator(seed: 1)
        let model = DistilBertModel(config: fx.config, initialization: .zeros, generator: &rng)
        let report = try DistilBertCheckpoint.load(fx.weights, into: model, strict: false)
        #expect(report.missing.isEmpty && report.wrongShape.isEmpty, "\(report)")
        // A bare-model checkpoint loads exactly; a head checkpoint leaves only its head keys.
        #expect(report.unexpected.allSatisfy { $0.hasPrefix("pre_classifier.") || $0.hasPrefix("classifier.") },
                "\(report.unexpected)")
        model.eval()
        let out = model(try fx.input(), outputHiddenStates: true, outputAttentions: true)
        expectClose(out.lastHiddenState, file["out.last_hidden_state"]!, "\(name) last_hidden_state")
        #expect(out.hiddenStates!.count == fx.config.nLayers + 1 && out.attentions!.count == fx.config.nLayers)
        let proj = fx.floats("proj_hidden", shape: out.lastHiddenState.shape)
        let loss = (out.lastHiddenState * proj).sum()
        expectClose(loss, file["loss"]!.reshape([]), atol: 1e-4, "\(name) loss")
        loss.backward()
        expectGradients(model, file)
    }

    @Test func strictLoadingHasNoMissingOrUnexpectedKeys() throws {
        var rng = RandomGenerator(seed: 2)
        let tiny = try DistilBertFixture("tiny")
        let head = DistilBertForSequenceClassification(config: tiny.config, initialization: .zeros, generator: &rng)
        let report = try DistilBertCheckpoint.load(tiny.weights, into: head)
        #expect(report.isClean && report.loaded.count == head.namedParameters().count)
        let sinusoidal = try DistilBertFixture("sinusoidal")
        let model = DistilBertModel(config: sinusoidal.config, initialization: .zeros, generator: &rng)
        #expect(try DistilBertCheckpoint.load(sinusoidal.weights, into: model).isClean)
        // The bare encoder's keys, prefixed, load into the head's encoder too.
        let prefixed = Dictionary(uniqueKeysWithValues: sinusoidal.weights.map { ("distilbert." + $0, $1) })
        #expect(try DistilBertCheckpoint.load(prefixed, into: model).isClean)
        // A head checkpoint without its head is refused, naming what is missing.
        let encoderOnly = tiny.weights.filter { $0.key.hasPrefix("distilbert.") }
        #expect(throws: BertError.self) { try DistilBertCheckpoint.load(encoderOnly, into: head) }
    }

    @Test func sinusoidalTableMatchesTransformers() throws {
        // transformers writes the sinusoids at initialisation and saves them; the fixture's
        // (random-weight) checkpoint therefore carries HF's table.
        let fx = try DistilBertFixture("sinusoidal")
        var rng = RandomGenerator(seed: 3)
        let model = DistilBertModel(config: fx.config, generator: &rng)
        expectClose(model.embeddings.positionEmbeddings.weight.value, fx.weights["embeddings.position_embeddings.weight"]!,
                    atol: 1e-6, "sinusoidal position table")
        #expect(model.embeddings.positionEmbeddings.weight.requiresGrad)
    }

    @Test func sequenceClassificationForwardAndGradients() throws {
        let fx = try DistilBertFixture("tiny")
        let file = try fx.file("DistilBertForSequenceClassification")
        var rng = RandomGenerator(seed: 4)
        let model = DistilBertForSequenceClassification(config: fx.config, generator: &rng)
        try DistilBertCheckpoint.load(fx.weights, into: model)
        model.eval()
        let out = try model(try fx.input(), labels: .classes(fx.ints("labels")))
        expectClose(out.logits, file["out.logits"]!, "logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "loss")
        out.loss!.backward()
        expectGradients(model, file)
    }
}
