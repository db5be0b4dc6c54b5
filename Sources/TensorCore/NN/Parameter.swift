/// A trainable tensor with stable identity: a value that is a graph leaf, and the gradient
/// accumulated into it by ``Tensor/backward()``.
///
/// Gradients **accumulate**: each backward adds to `grad` (nil until the first one). Call
/// ``zeroGrad()`` (or `Module.zeroGrad()`) before each step's backward, as in PyTorch.
///
/// ```swift
/// let w = Parameter(Tensor.normal([4, 3], std: 0.02, generator: &rng), name: "weight")
/// let loss = (x.matmul(w.value)).sum()
/// loss.backward()
/// print(w.grad!)              // ∂loss/∂w, shape [4, 3]
/// w.zeroGrad()
/// ```
public final class Parameter: @unchecked Sendable {
    /// The current value. Ops on it record the graph back to this parameter (unless
    /// `requiresGrad` is false or grad mode is off). Assigning replaces the value (detached from
    /// any graph it came from); writing in place (e.g. an optimizer step) is allowed.
    public var value: Tensor {
        get { storedValue }
        set { storedValue = newValue; bindValue() }
        _modify {
            yield &storedValue
            bindValue()
        }
    }
    private var storedValue: Tensor
    /// Accumulated gradient, same shape as `value`; nil until the first backward reaches it.
    public var grad: Tensor?
    /// Name (set by the owner, e.g. from `Module.namedParameters()`), for messages and IO.
    public var name: String
    /// When false the value is a constant for autodiff (frozen parameter).
    public var requiresGrad: Bool {
        didSet { bindValue() }
    }
    private var leaf: GradNode?
    /// Runs during ``Tensor/backward()`` as soon as this parameter's gradient for that pass is
    /// complete (after its last contribution has been added to ``grad``), once per pass that
    /// reaches it, while backward goes on with the rest of the graph — as PyTorch's
    /// `register_post_accumulate_grad_hook`. Data-parallel training starts reducing a bucket of
    /// gradients from here. Runs on the thread that called `backward()`, with grad mode off.
    ///
    /// ```swift
    /// for p in model.parameters() {
    ///     p.onGradientFinal = { p in reducer.gradientIsFinal(p) }
    /// }
    /// loss.backward()
    /// ```
    public var onGradientFinal: ((Parameter) -> Void)?

    /// A parameter holding `value`.
    public init(_ value: Tensor, name: String = "", requiresGrad: Bool = true) {
        self.storedValue = value
        self.name = name
        self.requiresGrad = requiresGrad
        bindValue()
    }

    /// Forgets the accumulated gradient (sets `grad` to nil, so the next backward writes it
    /// fresh instead of adding).
    public func zeroGrad() {
        grad = nil
    }

    /// Shape of the value.
    public var shape: [Int] { value.shape }

    private func bindValue() {
        if requiresGrad {
            if leaf == nil || leaf!.shape != value.shape {
                leaf = GradNode(leafOf: self, shape: value.shape)
            }
        } else {
            leaf = nil
        }
        if storedValue.node !== leaf { storedValue.node = leaf }
    }

    /// Adds a backward gradient into `grad`.
    func accumulate(_ gradient: Tensor) {
        precondition(gradient.shape == value.shape,
                     "Parameter.accumulate: gradient shape \(gradient.shape) differs from parameter '\(name)' shape \(value.shape)")
        if grad == nil {
            grad = gradient.isContiguous ? gradient.detached() : gradient.contiguousValues().detached()
        } else {
            grad!.accumulateGradient(gradient)
        }
    }
}
