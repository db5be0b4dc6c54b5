/// One recorded op (or a parameter leaf) in the define-by-run graph.
///
/// Interior nodes hold their inputs' nodes and a `propagate` closure (the op's vector–Jacobian
/// product, writing into a ``GradientSink``); a leaf holds a weak reference to its ``Parameter``.
/// Backward walks nodes iteratively and clears them as it goes, and `deinit` unlinks chains
/// iteratively, so graphs of any depth neither recurse on the stack nor outlive their use.
final class GradNode: @unchecked Sendable {
    /// Sends the gradient of the op's output to its inputs through the sink.
    typealias Propagate = @Sendable (_ gradient: Tensor, _ sink: GradientSink) -> Void

    /// Name of the op, for error messages.
    let op: String
    /// Nodes of the op's inputs (nil where an input does not require gradients).
    var inputs: [GradNode?]
    /// Shapes of the op's inputs, to check the gradients it sends.
    var inputShapes: [[Int]]
    /// Shape of the op's output.
    let shape: [Int]
    /// The op's backward; nil for leaves and once the node has been propagated.
    var propagate: Propagate?
    /// Set for leaves.
    weak var parameter: Parameter?
    let isLeaf: Bool
    /// Gradient accumulated so far during a backward pass.
    var pendingGradient: Tensor?
    /// During a backward pass: how many input edges from not-yet-propagated nodes still point
    /// here. A node's gradient is final when this reaches zero.
    var remainingConsumers = 0

    init(op: String, inputs: [GradNode?], inputShapes: [[Int]], shape: [Int], propagate: @escaping Propagate) {
        self.op = op
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.shape = shape
        self.propagate = propagate
        self.isLeaf = false
    }

    init(leafOf parameter: Parameter, shape: [Int]) {
        self.op = "parameter"
        self.inputs = []
        self.inputShapes = []
        self.shape = shape
        self.parameter = parameter
        self.isLeaf = true
    }

    deinit {
        // Unlink the chain below us without recursion: take ownership of the inputs, and for
        // each input we hold the last reference to, steal its inputs before it dies.
        var stack: [GradNode] = inputs.compactMap { $0 }
        inputs = []
        propagate = nil
        while var node = stack.popLast() {
            if isKnownUniquelyReferenced(&node) {
                stack.append(contentsOf: node.inputs.compactMap { $0 })
                node.inputs = []
                node.propagate = nil
            }
        }
    }
}

/// Where an op's backward puts its inputs' gradients: the one place gradients are added up.
///
/// ``add(_:toInput:)`` adds a dense gradient; ``accumulate(toInput:_:)`` lets a scatter-like op
/// (embedding, index select) add a few rows straight into the input's gradient so far instead of
/// materialising a dense one. Both check the shape against the input's and go through
/// ``update(input:_:)``.
struct GradientSink: @unchecked Sendable {
    /// The node being propagated.
    let node: GradNode

    /// Adds `gradient` (shape of input `i`; nil adds nothing) to input `i`'s gradient.
    func add(_ gradient: Tensor?, toInput i: Int) {
        guard let gradient else { return }
        update(input: i) { pending in
            if pending == nil {
                pending = gradient.detached()
            } else {
                pending!.accumulateGradient(gradient)
            }
        }
    }

    /// Runs `body` on input `i`'s gradient so far — contiguous and owned by nobody else, or nil
    /// when there is none yet (then `body` creates it).
    func accumulate(toInput i: Int, _ body: (inout Tensor?) -> Void) {
        update(input: i) { pending in
            pending?.makeUniqueContiguous()
            body(&pending)
        }
    }

    /// Takes input `i`'s pending gradient out (so it is uniquely referenced), lets `body` change
    /// it, checks its shape and puts it back. Inputs that do not require gradients are skipped.
    private func update(input i: Int, _ body: (inout Tensor?) -> Void) {
        guard let input = node.inputs[i] else { return }
        var pending = input.pendingGradient
        input.pendingGradient = nil
        body(&pending)
        if let pending {
            precondition(pending.shape == node.inputShapes[i],
                         "Tensor.backward: op '\(node.op)' sent a gradient of shape \(pending.shape) to input \(i) of shape \(node.inputShapes[i])")
            input.pendingGradient = pending.detached()
        }
    }
}
