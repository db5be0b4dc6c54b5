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
        result.node = GradNode(op: op, inputs: inputs.map(\.node), inputShapes: inputs.map(\.shape),
                               shape: output.shape, backward: backward)
        return result
    }

    /// ``record(op:inputs:output:backward:)`` for a one-input op whose gradient is better
    /// added into the input's gradient than materialised (a scatter of a few rows into a large
    /// table): `accumulate(g, &into)` adds the input gradient for output gradient `g` into
    /// `into` — the input's gradient accumulated so far, contiguous and owned by nobody else —
    /// or, when `into` is nil, stores a new one there.
    static func recordAccumulating(op: String, input: Tensor, output: Tensor,
                                   accumulate: @escaping GradNode.Accumulate) -> Tensor {
        let result = record(op: op, inputs: [input], output: output) { g in
            var created: Tensor?
            accumulate(g, &created)
            return [created]
        }
        result.node?.accumulate = accumulate
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
    /// so a second `backward()` through the same graph is an error.
    ///
    /// ```swift
    /// model.zeroGrad()
    /// let loss = crossEntropy(logits: model(x), targets: y)
    /// loss.backward()
    /// ```
    public func backward() {
        check(count == 1, "Tensor.backward: needs a one-element tensor, got shape \(shape); use backward(gradient:)")
        backward(gradient: Tensor.ones(shape))
    }

    /// Backpropagates `gradient` (the loss gradient with respect to this tensor, same shape).
    /// See ``backward()``.
    public func backward(gradient: Tensor) {
        guard let root = node else {
            checkFailure("Tensor.backward: tensor of shape \(shape) does not require gradients (no parameter reaches it, or it was computed under withNoGrad)")
        }
        check(gradient.shape == shape,
                     "Tensor.backward: gradient shape \(gradient.shape) differs from tensor shape \(shape)")
        withNoGrad {
            let order = GradNode.topologicalOrder(from: root)
            root.pendingGradient = gradient.detached()
            for node in order {
                guard let grad = node.pendingGradient else {
                    node.release()
                    continue
                }
                node.pendingGradient = nil
                if node.isLeaf {
                    node.parameter?.accumulate(grad)
                    continue
                }
                guard let backward = node.backward else {
                    checkFailure("Tensor.backward: graph through op '\(node.op)' was already freed by an earlier backward")
                }
                if let accumulate = node.accumulate, let input = node.inputs.first ?? nil {
                    // Into the input's pending gradient, in place, instead of a new dense one.
                    var into = input.pendingGradient
                    input.pendingGradient = nil
                    into?.makeUniqueContiguous()
                    accumulate(grad, &into)
                    check(into?.shape ?? node.inputShapes[0] == node.inputShapes[0],
                                 "Tensor.backward: op '\(node.op)' accumulated a gradient of shape \(into?.shape ?? []) for input of shape \(node.inputShapes[0])")
                    input.pendingGradient = into?.detached()
                    node.release()
                    continue
                }
                let inputGrads = backward(grad)
                check(inputGrads.count == node.inputs.count,
                             "Tensor.backward: op '\(node.op)' returned \(inputGrads.count) gradients for \(node.inputs.count) inputs")
                for (i, input) in node.inputs.enumerated() {
                    guard let input, let g = inputGrads[i] else { continue }
                    check(g.shape == node.inputShapes[i],
                                 "Tensor.backward: op '\(node.op)' returned gradient of shape \(g.shape) for input \(i) of shape \(node.inputShapes[i])")
                    if var existing = input.pendingGradient {
                        input.pendingGradient = nil
                        existing.accumulateGradient(g)
                        input.pendingGradient = existing
                    } else {
                        input.pendingGradient = g.detached()
                    }
                }
                node.release()
            }
        }
    }
}

extension Tensor {
    /// `self += g` for gradient accumulation: in place when this tensor solely owns contiguous
    /// storage, else into a new tensor (never copies first).
    /// Makes this tensor contiguous storage that nothing else references (copying only when
    /// needed), so it can be updated in place.
    mutating func makeUniqueContiguous() {
        if node == nil, isContiguous, isKnownUniquelyReferenced(&storage) { return }
        let copy = Tensor.empty(shape)  // always a new buffer (contiguousValues() may share)
        ElementwiseKernel.unary(TC_COPY, detached(), into: copy)
        self = copy
    }

    mutating func accumulateGradient(_ g: Tensor) {
        if node == nil, isContiguous, isKnownUniquelyReferenced(&storage) {
            addInPlace(g)
        } else {
            self = adding(g)
        }
    }
}

extension GradNode {
    /// Interior nodes reachable from `root`, each after every node that consumes it (reverse
    /// post-order of an iterative depth-first search). Leaves are included.
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var visited = Set<ObjectIdentifier>()
        var postOrder: [GradNode] = []
        var stack: [(node: GradNode, next: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while !stack.isEmpty {
            let top = stack.count - 1
            let (node, next) = stack[top]
            if next < node.inputs.count {
                stack[top].next += 1
                if let child = node.inputs[next], visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                postOrder.append(node)
                stack.removeLast()
            }
        }
        postOrder.reverse()
        return postOrder
    }

    /// Drops the closure and input links once this node's gradient has been propagated.
    func release() {
        if !isLeaf {
            backward = nil
            accumulate = nil
            inputs = []
        }
    }
}
