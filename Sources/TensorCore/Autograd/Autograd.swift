import CKernels
extension Tensor {
    /// Records `output` as the result of op `op` on `inputs` and returns it with a graph node —
    /// when grad mode is on and at least one input requires gradients. Otherwise returns
    /// `output` unchanged (detached), and `backward` is never called.
    ///
    /// `backward` receives the gradient of the loss with respect to `output` (same shape) and
    /// returns one gradient per input, in order, each with exactly that input's shape (reduce
    /// broadcast dimensions with ``sumToShape(_:)``), or `nil` where none is needed (e.g. the
    /// input does not require gradients). It runs with grad mode off. Capture what it needs as
    /// `detached()` tensors, so the closure does not keep other graph nodes alive.
    ///
    /// ```swift
    /// func square(_ x: Tensor) -> Tensor {
    ///     let y = x * x.detached()                      // any forward computation
    ///     let saved = x.detached()
    ///     return Tensor.record(op: "square", inputs: [x], output: y.detached()) { g in
    ///         [g * saved * 2]
    ///     }
    /// }
    /// ```
    public static func record(op: String, inputs: [Tensor], output: Tensor,
                              backward: @escaping @Sendable (Tensor) -> [Tensor?]) -> Tensor {
        var result = output
        result.node = nil
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return result }
        let count = inputs.count
        result.node = GradNode(op: op, inputs: inputs.map(\.node), inputShapes: inputs.map(\.shape),
                               shape: output.shape) { g, sink in
            let gradients = backward(g)
            precondition(gradients.count == count,
                         "Tensor.backward: op '\(op)' returned \(gradients.count) gradients for \(count) inputs")
            for (i, gi) in gradients.enumerated() { sink.add(gi, toInput: i) }
        }
        return result
    }

    /// ``record(op:inputs:output:backward:)`` for a one-input op whose gradient is better
    /// added into the input's gradient than materialised (a scatter of a few rows into a large
    /// table): `accumulate(g, &into)` adds the input gradient for output gradient `g` into
    /// `into` — the input's gradient accumulated so far, contiguous and owned by nobody else —
    /// or, when `into` is nil, stores a new one there (``GradientSink/accumulate(toInput:_:)``).
    static func recordAccumulating(op: String, input: Tensor, output: Tensor,
                                   accumulate: @escaping @Sendable (_ gradient: Tensor, _ into: inout Tensor?) -> Void)
        -> Tensor
    {
        var result = output
        result.node = nil
        guard GradMode.isEnabled, let node = input.node else { return result }
        result.node = GradNode(op: op, inputs: [node], inputShapes: [input.shape], shape: output.shape) { g, sink in
            sink.accumulate(toInput: 0) { into in accumulate(g, &into) }
        }
        return result
    }

    /// True when an op over `inputs` would record a node (grad mode on and some input requires
    /// gradients). Ops may use it to skip saving tensors for backward.
    public static func needsGradient(_ inputs: Tensor...) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.node != nil }
    }

    /// Backpropagates from a one-element tensor (a loss): as `backward(gradient: 1)`.
    ///
    /// Gradients are **added** to each reached ``Parameter/grad``; they accumulate over calls
    /// until ``Parameter/zeroGrad()`` (or `Module.zeroGrad()`). The graph is freed afterwards,
    /// so a second `backward()` through the same graph is an error. A parameter's
    /// ``Parameter/onGradientFinal`` hook runs as soon as its gradient for this pass is complete,
    /// while the rest of backward still runs.
    ///
    /// ```swift
    /// model.zeroGrad()
    /// let loss = crossEntropy(logits: model(x), targets: y)
    /// loss.backward()
    /// ```
    public func backward() {
        precondition(count == 1, "Tensor.backward: needs a one-element tensor, got shape \(shape); use backward(gradient:)")
        backward(gradient: Tensor.ones(shape))
    }

    /// Backpropagates `gradient` (the loss gradient with respect to this tensor, same shape).
    /// See ``backward()``.
    ///
    /// Nodes are propagated in topological order (every consumer before what it consumes); each
    /// op sends its inputs' gradients through one ``GradientSink``. A parameter leaf is finished
    /// — its gradient added to ``Parameter/grad`` and its hook run — the moment the last op that
    /// uses it has been propagated, not at the end of the pass.
    public func backward(gradient: Tensor) {
        guard let root = node else {
            preconditionFailure("Tensor.backward: tensor of shape \(shape) does not require gradients (no parameter reaches it, or it was computed under withNoGrad)")
        }
        precondition(gradient.shape == shape,
                     "Tensor.backward: gradient shape \(gradient.shape) differs from tensor shape \(shape)")
        withNoGrad {
            let order = GradNode.topologicalOrder(from: root)
            root.pendingGradient = gradient.detached()
            if root.isLeaf { root.finishLeaf() }
            for node in order where !node.isLeaf {
                if let grad = node.pendingGradient {
                    node.pendingGradient = nil
                    guard let propagate = node.propagate else {
                        preconditionFailure("Tensor.backward: graph through op '\(node.op)' was already freed by an earlier backward")
                    }
                    propagate(grad, GradientSink(node: node))
                }
                // Every edge out of this node has now delivered its contribution (or none).
                for case let input? in node.inputs {
                    input.remainingConsumers -= 1
                    if input.isLeaf && input.remainingConsumers == 0 { input.finishLeaf() }
                }
                node.release()
            }
        }
    }
}

extension Tensor {
    /// Makes this tensor contiguous storage that nothing else references (copying only when
    /// needed), so it can be updated in place.
    mutating func makeUniqueContiguous() {
        if node == nil, isContiguous, isKnownUniquelyReferenced(&storage) { return }
        let copy = Tensor.empty(shape)  // always a new buffer (contiguousValues() may share)
        ElementwiseKernel.unary(TC_COPY, detached(), into: copy)
        self = copy
    }

    /// `self += g` for gradient accumulation: in place when this tensor solely owns contiguous
    /// storage, else into a new tensor (never copies first).
    mutating func accumulateGradient(_ g: Tensor) {
        if node == nil, isContiguous, isKnownUniquelyReferenced(&storage) {
            addInPlace(g)
        } else {
            self = adding(g)
        }
    }
}

extension GradNode {
    /// Nodes reachable from `root` (leaves included), each after every node that consumes it
    /// (reverse post-order of an iterative depth-first search). Also sets each node's
    /// ``remainingConsumers`` to the number of edges that reach it.
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var visited = Set<ObjectIdentifier>()
        var postOrder: [GradNode] = []
        var stack: [(node: GradNode, next: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        root.remainingConsumers = 0
        while !stack.isEmpty {
            let top = stack.count - 1
            let (node, next) = stack[top]
            if next < node.inputs.count {
                stack[top].next += 1
                guard let child = node.inputs[next] else { continue }
                if visited.insert(ObjectIdentifier(child)).inserted {
                    child.remainingConsumers = 0
                    stack.append((child, 0))
                }
                child.remainingConsumers += 1
            } else {
                postOrder.append(node)
                stack.removeLast()
            }
        }
        postOrder.reverse()
        return postOrder
    }

    /// A leaf whose gradient for this pass is complete: adds it to the parameter's `grad` and
    /// runs the parameter's ``Parameter/onGradientFinal`` hook (nothing when no gradient came).
    func finishLeaf() {
        guard let gradient = pendingGradient else { return }
        pendingGradient = nil
        guard let parameter else { return }
        parameter.accumulate(gradient)
        parameter.onGradientFinal?(parameter)
    }

    /// Drops the closure and input links once this node's gradient has been propagated.
    func release() {
        if !isLeaf {
            propagate = nil
            inputs = []
        }
    }
}
