import Foundation
import Testing
import BertKit
import TensorCore

/// One case directory written by Scripts/make_distilbert_fixtures.py (Fixtures/distilbert/<case>).
struct DistilBertFixture: ParityFixtureCase {
    let dir: URL
    var config: DistilBertConfig
    let weights: [String: Tensor]
    let json: [String: Any]

    init(_ name: String) throws {
        dir = fixturesURL("distilbert/" + name)
        config = try DistilBertConfig(contentsOf: dir.appendingPathComponent("config.json"))
        weights = try readSafetensors(dir.appendingPathComponent("model.safetensors"))
        json = try Self.readInputs(dir)
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
        #expect(config.vocabSize == 99 && config.dim == 12 && config.nLayers == 2 && config.nHeads == 3)
        #expect(config.hiddenDim == 37 && config.maxPositionEmbeddings == 16 && config.activation == .gelu)
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
        // The parameter count is the checkpoint's; the config's memory bound covers the largest head.
        #expect(model.parameterCount == sinusoidal.weights.values.reduce(0) { $0 + $1.count })
        #expect(sinusoidal.config.parameterCount! >= head.parameterCount)
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

    @Test func dropoutActsOnlyInTrainingMode() throws {
        var fx = try DistilBertFixture("tiny")
        fx.config.dropout = 0.3
        fx.config.attentionDropout = 0.3
        fx.config.seqClassifDropout = 0.3
        var rng = RandomGenerator(seed: 7)
        let model = DistilBertForSequenceClassification(config: fx.config, generator: &rng)
        try DistilBertCheckpoint.load(fx.weights, into: model)
        let input = try fx.input()
        model.train()
        let (a, b) = withNoGrad { (try! model(input).logits, try! model(input).logits) }  // [B, C]
        #expect(a.toArray() != b.toArray(), "training mode draws fresh dropout masks")
        model.eval()
        let want = try fx.file("DistilBertForSequenceClassification")["out.logits"]!
        expectClose(withNoGrad { try! model(input).logits }, want, "eval logits ignore dropout")
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

    /// A head model with the tiny case's encoder and the class file's `param.*` head weights,
    /// loaded strictly (no missing or unexpected key), in eval mode.
    func loadedHead<M: Module>(_ model: M, _ fx: DistilBertFixture, _ file: [String: Tensor]) throws -> M {
        var tensors = fx.weights.filter { $0.key.hasPrefix("distilbert.") }
        for (k, v) in file where k.hasPrefix("param.") { tensors[String(k.dropFirst(6))] = v }
        try DistilBertCheckpoint.load(tensors, into: model)
        model.eval()
        return model
    }

    @Test func questionAnsweringForwardAndGradients() throws {
        let fx = try DistilBertFixture("tiny")
        let file = try fx.file("DistilBertForQuestionAnswering")
        var rng = RandomGenerator(seed: 5)
        let model = try loadedHead(DistilBertForQuestionAnswering(config: fx.config, generator: &rng), fx, file)
        let out = try model(try fx.input(), startPositions: fx.ints("start_positions"),
                            endPositions: fx.ints("end_positions"))
        expectClose(out.startLogits, file["out.start_logits"]!, "start logits")
        expectClose(out.endLogits, file["out.end_logits"]!, "end logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "QA loss")
        out.loss!.backward()
        expectGradients(model, file)
    }

    @Test func maskedLMForwardAndGradients() throws {
        let fx = try DistilBertFixture("tiny")
        let file = try fx.file("DistilBertForMaskedLM")
        var rng = RandomGenerator(seed: 6)
        let model = try loadedHead(DistilBertForMaskedLM(config: fx.config, generator: &rng), fx, file)
        #expect(model.vocabProjector.weight === model.distilbert.embeddings.wordEmbeddings.weight)
        let out = try model(try fx.input(), labels: fx.ints("mlm_labels"))
        expectClose(out.logits, file["out.logits"]!, "MLM logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "MLM loss")
        out.loss!.backward()
        // The tied weight's gradient sums the embedding lookup's and the projector's.
        expectGradients(model, file)
        // A checkpoint that also stores the tied projector weight loads as cleanly.
        var tensors = fx.weights.filter { $0.key.hasPrefix("distilbert.") }
        for (k, v) in file where k.hasPrefix("param.") { tensors[String(k.dropFirst(6))] = v }
        tensors["vocab_projector.weight"] = tensors["distilbert.embeddings.word_embeddings.weight"]
        #expect(try DistilBertCheckpoint.load(tensors, into: model).isClean)
    }

    @Test func tokenClassificationForwardAndGradients() throws {
        let fx = try DistilBertFixture("tiny")
        let file = try fx.file("DistilBertForTokenClassification")
        var rng = RandomGenerator(seed: 7)
        let model = try loadedHead(DistilBertForTokenClassification(config: fx.config, generator: &rng), fx, file)
        let labels = fx.ints("token_labels")
        #expect(labels.values.contains(-100) && labels.shape == [2, 7])
        let out = try model(try fx.input(), labels: labels)
        expectClose(out.logits, file["out.logits"]!, "token logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "token loss")
        out.loss!.backward()
        expectGradients(model, file)
    }

    @Test func multipleChoiceForwardAndGradients() throws {
        let fx = try DistilBertFixture("tiny")
        let file = try fx.file("DistilBertForMultipleChoice")
        var rng = RandomGenerator(seed: 8)
        let model = try loadedHead(DistilBertForMultipleChoice(config: fx.config, generator: &rng), fx, file)
        let out = try model(inputIds: fx.ints("mc_input_ids", shape: [2, 3, 6]), attentionMask: fx.ints("mc_attention_mask", shape: [2, 3, 6]),
                            labels: fx.ints("mc_labels"))
        expectClose(out.logits, file["out.logits"]!, "choice logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "choice loss")
        out.loss!.backward()
        expectGradients(model, file)
        #expect(throws: BertError.self) { try model(inputIds: fx.ints("input_ids")) }  // [B, T]: not [B, C, T]
    }
}

/// DistilBertConfig rejects bad config.json values with a typed error naming the file and field.
@Suite struct DistilBertConfigTests {
    func problem(_ json: String) -> String? {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("distilbert-config-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try! Data(json.utf8).write(to: url)
        do {
            _ = try DistilBertConfig(contentsOf: url)
            return nil
        } catch let error as BertError {
            guard case .malformedFile(let path, let reason) = error, path == url.path else { return "\(error)" }
            return reason
        } catch {
            return "untyped \(error)"
        }
    }

    @Test func defaultsAreDistilBertBase() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distilbert-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("{}".utf8).write(to: url)
        let c = try DistilBertConfig(contentsOf: url)
        #expect(c == DistilBertConfig())
        #expect(c.dim == 768 && c.nLayers == 6 && c.nHeads == 12 && c.hiddenDim == 3072 && c.numLabels == 2)
        #expect(c.seqClassifDropout == 0.2 && c.qaDropout == 0.1 && c.dropout == 0.1 && c.activation == .gelu)
    }

    @Test(arguments: [
        (#"{"dim": 10, "n_heads": 4}"#, "dim 10 is not a multiple of n_heads 4"),
        (#"{"vocab_size": 0}"#, "vocab_size must be an integer in 1..."),
        (#"{"n_layers": -1}"#, "n_layers must be an integer in 0..."),
        (#"{"hidden_dim": 100000000}"#, "hidden_dim must be an integer in 1..."),
        (#"{"dropout": 1.5}"#, "dropout must be in [0, 1), got 1.5"),
        (#"{"seq_classif_dropout": -0.1}"#, "seq_classif_dropout must be in [0, 1)"),
        (#"{"attention_dropout": 1}"#, "attention_dropout must be in [0, 1)"),
        (#"{"pad_token_id": 99, "vocab_size": 99}"#, "pad_token_id 99 is outside the vocabulary"),
        (#"{"activation": "bogus"}"#, "activation \"bogus\" is not supported"),
        (#"{"sinusoidal_pos_embds": "yes"}"#, "sinusoidal_pos_embds must be true or false"),
        (#"{"n_heads": "four"}"#, "n_heads must be an integer"),
        (#"{"num_labels": -3}"#, "num_labels must be an integer in 0..."),
        (#"{"id2label": {"0": "a", "2": "b"}}"#, "id2label keys must be 0..<2"),
        (#"{"problem_type": "ranking"}"#, "problem_type \"ranking\" is not supported"),
        (#"{"dim": 12,"#, "not valid JSON"),
        (#"{"dim": 65536, "n_heads": 1, "n_layers": 1024, "hidden_dim": 262144}"#, "more than this machine's"),
    ])
    func badValuesAreTypedErrors(_ json: String, _ expected: String) {
        let reason = problem(json)
        #expect(reason?.contains(expected) == true, "\(json): \(reason ?? "accepted")")
    }

    @Test func labelsFromId2labelOrNumLabels() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distilbert-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"id2label": {"0": "neg", "1": "neu", "2": "pos"}}"#.utf8).write(to: url)
        #expect(try DistilBertConfig(contentsOf: url).id2label == [0: "neg", 1: "neu", 2: "pos"])
        try Data(#"{"num_labels": 5}"#.utf8).write(to: url)
        #expect(try DistilBertConfig(contentsOf: url).numLabels == 5)
        #expect(throws: BertError.self) { try DistilBertConfig(contentsOf: url.appendingPathExtension("absent")) }
    }
}
