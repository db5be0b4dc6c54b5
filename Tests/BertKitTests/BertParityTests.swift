import Foundation
import Testing
import BertKit
import TensorCore

/// Forward values (1e-5) and gradients of every named parameter (1e-4 relative) against
/// transformers, from Scripts/make_bert_fixtures.py. Eval mode (dropout off).
@Suite struct BertParityTests {
    static let cases = ["tiny_gelu", "odd_gelu_new", "tiny_relative_key", "tiny_relative_key_query"]

    /// `model` with the fixture's weights (and `file`'s head weights) loaded, in eval mode.
    func loaded<M: Module>(_ model: M, _ fx: BertFixture, _ file: [String: Tensor],
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> M {
        try fx.load(model, extra: file, sourceLocation: sourceLocation)
        model.eval()
        return model
    }

    /// A head's logits and loss against `file`, then the gradient of every named parameter.
    func expectHeadMatches(_ out: BertHeadOutput, _ model: any Module, _ file: [String: Tensor], _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(out.logits, file["out.logits"]!, "\(what) logits", sourceLocation: sourceLocation)
        expectClose(out.loss!, file["loss"]!.reshape([]), "\(what) loss", sourceLocation: sourceLocation)
        out.loss!.backward()
        expectGradients(model, file, sourceLocation: sourceLocation)
    }

    @Test(arguments: cases) func bertModelForwardAndGradients(_ name: String) throws {
        let fx = try BertFixture(name)
        let file = try fx.file("BertModel")
        var rng = RandomGenerator(seed: 1)
        let model = try loaded(BertModel(config: fx.config, generator: &rng), fx, file)
        let input = try fx.input()
        let out = model(input, outputHiddenStates: true, outputAttentions: true)
        expectClose(out.lastHiddenState, file["out.last_hidden_state"]!, "\(name) last_hidden_state")
        expectClose(out.poolerOutput!, file["out.pooler_output"]!, "\(name) pooler_output")
        #expect(out.hiddenStates!.count == fx.config.numHiddenLayers + 1)
        for (i, h) in out.hiddenStates!.enumerated() { expectClose(h, file["out.hidden_states.\(i)"]!, "\(name) hidden \(i)") }
        for (i, a) in out.attentions!.enumerated() { expectClose(a, file["out.attentions.\(i)"]!, "\(name) attention \(i)") }
        let rh = fx.floats("proj_hidden", shape: out.lastHiddenState.shape)
        let rp = fx.floats("proj_pooled", shape: out.poolerOutput!.shape)
        let loss = (out.lastHiddenState * rh).sum() + (out.poolerOutput! * rp).sum()
        expectClose(loss, file["loss"]!.reshape([]), atol: 1e-4, "\(name) loss")
        loss.backward()
        expectGradients(model, file)
    }

    @Test(arguments: ["gelu_new", "gelu_fast", "relu", "silu", "quick_gelu"])
    func everyActivation(_ act: String) throws {
        let fx = try BertFixture("tiny_gelu")
        let file = try fx.file("BertModel_\(act)")
        var config = fx.config
        config.hiddenAct = try Activation(name: act)
        var rng = RandomGenerator(seed: 1)
        let model = BertModel(config: config, generator: &rng)
        try fx.load(model, extra: [:])
        model.eval()
        let out = withNoGrad { model(try! fx.input(config)) }
        expectClose(out.lastHiddenState, file["out.last_hidden_state"]!, "\(act) last_hidden_state")
        expectClose(out.poolerOutput!, file["out.pooler_output"]!, "\(act) pooler_output")
    }

    @Test(arguments: ["tiny_gelu", "odd_gelu_new"]) func preTraining(_ name: String) throws {
        let fx = try BertFixture(name)
        let file = try fx.file("BertForPreTraining")
        var rng = RandomGenerator(seed: 2)
        let model = try loaded(BertForPreTraining(config: fx.config, generator: &rng), fx, file)
        let labels = fx.ints("mlm_labels")
        let out = try model(try fx.input(), labels: labels, nextSentenceLabel: fx.ints("nsp_labels"))
        // Logits exist only at the masked positions: compare with those rows of HF's full logits.
        let v = fx.config.vocabSize
        let full = file["out.prediction_logits"]!.reshape([-1, v])
        #expect(out.maskedPositions == labels.values.indices.filter { labels.values[$0] != -100 })
        let rows = full.indexSelect(axis: 0, indices: IntTensor(out.maskedPositions, shape: [out.maskedPositions.count]))
        expectClose(out.predictionLogits, rows, "\(name) masked prediction logits")
        expectClose(out.seqRelationshipLogits, file["out.seq_relationship_logits"]!, "\(name) NSP logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "\(name) loss")
        out.loss!.backward()
        expectGradients(model, file)
    }

    @Test(arguments: ["tiny_gelu", "tiny_relative_key", "tiny_relative_key_query"]) func maskedLM(_ name: String) throws {
        let fx = try BertFixture(name)
        let file = try fx.file("BertForMaskedLM")
        var rng = RandomGenerator(seed: 3)
        let model = try loaded(BertForMaskedLM(config: fx.config, generator: &rng), fx, file)
        let out = try model(try fx.input(), labels: fx.ints("mlm_labels"))
        expectHeadMatches(out, model, file, "\(name) MLM")
    }

    @Test func nextSentencePrediction() throws {
        let fx = try BertFixture("tiny_gelu")
        let file = try fx.file("BertForNextSentencePrediction")
        var rng = RandomGenerator(seed: 4)
        let model = try loaded(BertForNextSentencePrediction(config: fx.config, generator: &rng), fx, file)
        let out = try model(try fx.input(), labels: fx.ints("nsp_labels"))
        expectHeadMatches(out, model, file, "NSP")
    }

    @Test(arguments: [("tiny_gelu", "single"), ("tiny_gelu", "regression"), ("tiny_gelu", "multi"),
                      ("odd_gelu_new", "single"), ("odd_gelu_new", "regression"), ("odd_gelu_new", "multi")])
    func sequenceClassification(_ name: String, _ variant: String) throws {
        let fx = try BertFixture(name)
        let file = try fx.file("BertForSequenceClassification_\(variant)")
        var config = fx.config
        let b = fx.ints("input_ids").shape[0]
        let labels: SequenceLabels
        switch variant {
        case "single": config.numLabels = 3; labels = .classes(fx.ints("seqcls_single_labels"))
        case "regression": config.numLabels = 1; labels = .values(fx.floats("seqcls_regression_labels", shape: [b]))
        default:
            config.numLabels = 3
            config.problemType = .multiLabelClassification
            labels = .values(fx.floats("seqcls_multi_labels", shape: [b, 3]))
        }
        var rng = RandomGenerator(seed: 5)
        let model = try loaded(BertForSequenceClassification(config: config, generator: &rng), fx, file)
        let out = try model(try fx.input(config), labels: labels)
        expectHeadMatches(out, model, file, "\(name) \(variant)")
    }

    @Test(arguments: ["tiny_gelu", "odd_gelu_new"]) func tokenClassification(_ name: String) throws {
        let fx = try BertFixture(name)
        let file = try fx.file("BertForTokenClassification")
        var config = fx.config
        config.numLabels = 5
        var rng = RandomGenerator(seed: 6)
        let model = try loaded(BertForTokenClassification(config: config, generator: &rng), fx, file)
        let out = try model(try fx.input(config), labels: fx.ints("token_labels"))
        expectHeadMatches(out, model, file, "\(name) token")
    }

    @Test func questionAnswering() throws {
        let fx = try BertFixture("tiny_gelu")
        let file = try fx.file("BertForQuestionAnswering")
        var rng = RandomGenerator(seed: 7)
        let model = try loaded(BertForQuestionAnswering(config: fx.config, generator: &rng), fx, file)
        let out = try model(try fx.input(), startPositions: fx.ints("start_positions"),
                            endPositions: fx.ints("end_positions"))
        expectClose(out.startLogits, file["out.start_logits"]!, "start logits")
        expectClose(out.endLogits, file["out.end_logits"]!, "end logits")
        expectClose(out.loss!, file["loss"]!.reshape([]), "QA loss")
        out.loss!.backward()
        expectGradients(model, file)
    }

    @Test func multipleChoice() throws {
        let fx = try BertFixture("tiny_gelu")
        let file = try fx.file("BertForMultipleChoice")
        var rng = RandomGenerator(seed: 8)
        let model = try loaded(BertForMultipleChoice(config: fx.config, generator: &rng), fx, file)
        let ids = fx.ints("input_ids"), t = ids.shape[1], b = ids.shape[0]
        let r = { (x: IntTensor) in IntTensor(x.values, shape: [b / 2, 2, t]) }
        let out = try model(inputIds: r(ids), attentionMask: r(fx.ints("attention_mask")),
                            tokenTypeIds: r(fx.ints("token_type_ids")), labels: fx.ints("choice_labels"))
        expectHeadMatches(out, model, file, "choice")
    }

    @Test func causalLM() throws {
        let fx = try BertFixture("tiny_gelu")
        let file = try fx.file("BertLMHeadModel")
        var rng = RandomGenerator(seed: 9)
        let model = try loaded(BertLMHeadModel(config: fx.config, generator: &rng), fx, file)
        let out = try model(try fx.input(), labels: fx.ints("causal_labels"))
        expectHeadMatches(out, model, file, "causal")
    }
}
