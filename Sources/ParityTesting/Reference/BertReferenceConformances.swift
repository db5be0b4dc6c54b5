import TensorCore
import BertKit

// BertKit's model classes on reference dumps: inputs and labels from the dump, hidden states
// and attentions requested, the pooler output recomputed from the last hidden state (off the
// graph) for heads that keep it inside.

/// Hidden states, attentions and the pooler output under the dump's names.
func encoderOutputs(_ hidden: [Tensor]?, _ attentions: [Tensor]?, pooler: BertPooler?) -> [String: Tensor] {
    var out: [String: Tensor] = [:]
    for (i, h) in (hidden ?? []).enumerated() { out["hidden_states.\(i)"] = h }
    for (i, a) in (attentions ?? []).enumerated() { out["attentions.\(i)"] = a }
    if let pooler, let last = hidden?.last { out["pooler_output"] = withNoGrad { pooler(last) } }  // [B, H]
    return out
}

extension BertModel: ReferenceComparable {
    public static var referenceHead: String { "model" }

    /// loss = Σ last_hidden_state ⊙ P + Σ pooler_output ⊙ Q with the dump's projections.
    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let out = self(try dump.input(config: config), outputHiddenStates: true, outputAttentions: true)
        var outputs = encoderOutputs(out.hiddenStates, out.attentions, pooler: nil)
        var loss = (out.lastHiddenState * (try dump.tensor("input.projection.last_hidden_state"))).sum()  // []
        if let pooled = out.poolerOutput {
            outputs["pooler_output"] = pooled
            if let q = dump.tensors["input.projection.pooler_output"] { loss = loss + (pooled * q).sum() }
        }
        return ReferenceRun(outputs: outputs, loss: loss)
    }
}

extension BertForSequenceClassification: ReferenceComparable {
    public static var referenceHead: String { "sequence-classification" }

    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let labels: SequenceLabels? = if let c = dump.intTensors["label.labels"] { .classes(c) }
            else { dump.tensors["label.labels"].map { .values($0) } }
        let out = try self(try dump.input(config: config), labels: labels, outputHiddenStates: true,
                           outputAttentions: true)
        return headRun(out, pooler: bert.pooler)
    }
}

extension BertForTokenClassification: ReferenceComparable {
    public static var referenceHead: String { "token-classification" }

    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let out = try self(try dump.input(config: config), labels: dump.intTensors["label.labels"],
                           outputHiddenStates: true, outputAttentions: true)
        return headRun(out, pooler: nil)
    }
}

extension BertForMaskedLM: ReferenceComparable {
    public static var referenceHead: String { "masked-lm" }

    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let out = try self(try dump.input(config: config), labels: dump.intTensors["label.labels"],
                           outputHiddenStates: true, outputAttentions: true)
        return headRun(out, pooler: nil)
    }
}

extension BertForNextSentencePrediction: ReferenceComparable {
    public static var referenceHead: String { "next-sentence" }

    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let out = try self(try dump.input(config: config), labels: dump.intTensors["label.labels"],
                           outputHiddenStates: true, outputAttentions: true)
        return headRun(out, pooler: bert.pooler)
    }
}

extension BertForQuestionAnswering: ReferenceComparable {
    public static var referenceHead: String { "question-answering" }

    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let out = try self(try dump.input(config: config), startPositions: dump.intTensors["label.start_positions"],
                           endPositions: dump.intTensors["label.end_positions"], outputHiddenStates: true,
                           outputAttentions: true)
        var outputs = encoderOutputs(out.hiddenStates, out.attentions, pooler: nil)
        outputs["start_logits"] = out.startLogits
        outputs["end_logits"] = out.endLogits
        return ReferenceRun(outputs: outputs, loss: out.loss)
    }
}

extension BertForPreTraining: ReferenceComparable {
    public static var referenceHead: String { "pretraining" }

    /// Vocabulary logits exist only at masked positions: the reference is cut to those rows.
    public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
        let out = try self(try dump.input(config: config), labels: dump.intTensors["label.labels"],
                           nextSentenceLabel: dump.intTensors["label.next_sentence_label"], outputHiddenStates: true,
                           outputAttentions: true)
        var outputs = encoderOutputs(out.hiddenStates, out.attentions, pooler: bert.pooler)
        outputs["prediction_logits"] = out.predictionLogits  // [M, V]
        outputs["seq_relationship_logits"] = out.seqRelationshipLogits  // [B, 2]
        var overrides: [String: Tensor] = [:]
        if let full = dump.outputs["prediction_logits"] {
            let rows = full.reshape([-1, config.vocabSize])  // [B·T, V]
            let m = out.maskedPositions.count
            overrides["prediction_logits"] = rows.indexSelect(axis: 0, indices: IntTensor(out.maskedPositions, shape: [m]))
        }
        return ReferenceRun(outputs: outputs, loss: out.loss, expectedOverrides: overrides)
    }
}

/// The run of a head that returns a ``BertKit/BertHeadOutput``: the encoder's outputs, the
/// logits and the loss.
func headRun(_ out: BertHeadOutput, pooler: BertPooler?) -> ReferenceRun {
    var outputs = encoderOutputs(out.hiddenStates, out.attentions, pooler: pooler)
    outputs["logits"] = out.logits
    return ReferenceRun(outputs: outputs, loss: out.loss)
}
