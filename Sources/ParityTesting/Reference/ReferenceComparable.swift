import TensorCore

/// What a model produced on a reference dump's inputs, under the dump's output names.
public struct ReferenceRun: @unchecked Sendable {
    /// Outputs by dump name (`hidden_states.0` … `hidden_states.L`, `attentions.i`,
    /// `pooler_output`, `logits`, …); names the dump lacks are ignored.
    public var outputs: [String: Tensor]
    /// The loss whose gradients are compared (the dump's `loss`); nil for a forward-only run.
    public var loss: Tensor?
    /// References to use instead of the dump's, for outputs the model computes in another form
    /// (BertForPreTraining computes vocabulary logits only at masked positions).
    public var expectedOverrides: [String: Tensor]

    public init(outputs: [String: Tensor], loss: Tensor?, expectedOverrides: [String: Tensor] = [:]) {
        self.outputs = outputs
        self.loss = loss
        self.expectedOverrides = expectedOverrides
    }
}

/// A model that can run on a reference dump: it reads the dump's inputs and labels, runs its
/// forward with hidden states and attentions, and returns them with its loss.
///
/// Every BertKit model class conforms. A ported model conforms by returning its outputs under
/// the dump's names; its `namedParameters()` must use the reference's parameter names so that
/// gradients line up with the dump's `grad.<name>` keys.
///
/// ```swift
/// extension MyBert: ReferenceComparable {
///     public static var referenceHead: String { "model" }
///     public func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun {
///         let out = try self(dump.input(config: config))
///         return ReferenceRun(outputs: ["hidden_states.0": out.embeddings, …], loss: …)
///     }
/// }
/// ```
public protocol ReferenceComparable: Module {
    /// The `--head` of `Scripts/dump_reference.py` this model answers to.
    static var referenceHead: String { get }
    /// Runs the forward (eval mode is set by the caller) on the dump's inputs and labels.
    func referenceRun(_ dump: ReferenceDump) throws -> ReferenceRun
}
