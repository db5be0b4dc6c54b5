/// One recorded op (or a parameter leaf) in the define-by-run graph.
///
/// Interior nodes hold their inputs' nodes and the vector–Jacobian product closure; a leaf
/// holds a weak reference to its ``Parameter``. Backward walks nodes iteratively and clears
/// them as it goes, and `deinit` unlinks chains iteratively, so graphs of any depth neither
/// recurse on the stack nor outlive their use.
final class GradNode: @unchecked Sendable {
    typealias Backward = @Sendable (Tensor) -> [Tensor?]
    /// Adds the gradient of a one-input op into the input's gradient so far (nil when there is
    /// none yet; then it creates it), for ops whose gradient touches few elements.
    typealias Accumulate = @Sendable (_ gradient: Tensor, _ into: inout Tensor?) -> Void

    /// Name of the op, for error messages.
    let op: String
    /// Nodes of the op's inputs (nil where an input does not require gradients).
    var inputs: [GradNode?]
    /// Shapes of the op's inputs, to check the gradients a backward returns.
    var inputShapes: [[Int]]
    /// Shape of the op's output.
    let shape: [Int]
    var backward: Backward?
    /// Set for ops recorded with ``Tensor/recordAccumulating(op:input:output:accumulate:)``.
    var accumulate: Accumulate?
    /// Set for leaves.
    weak var parameter: Parameter?
    let isLeaf: Bool
    /// Gradient accumulated so far during a backward pass.
    var pendingGradient: Tensor?

    init(op: String, inputs: [GradNode?], inputShapes: [[Int]], shape: [Int], backward: @escaping Backward) {
        self.op = op
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.shape = shape
        self.backward = backward
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
        backward = nil
        accumulate = nil
        while var node = stack.popLast() {
            if isKnownUniquelyReferenced(&node) {
                stack.append(contentsOf: node.inputs.compactMap { $0 })
                node.inputs = []
                node.backward = nil
                node.accumulate = nil
            }
        }
    }
}
