/// Checks the gradients of a scalar loss with respect to every parameter of a module against
/// central finite differences, sampling elements of large parameters.
///
/// Each parameter's value is perturbed in place (and restored) element by element; the loss is
/// re-evaluated without recording a graph and accumulated in Float64. Parameters with more than
/// `maxElementsPerParameter` elements are checked at that many distinct elements drawn with a
/// generator seeded by `seed` (a BERT layer's weights at 64 elements each cost a few hundred
/// forwards, not millions). Frozen parameters (`requiresGrad == false`) are skipped. Elements
/// are perturbed in place and restored bit for bit, so `loss` must read the parameters' current
/// values on every call (a module that caches a copy of its weights across calls would hide the
/// perturbation). Afterwards the gradients hold the analytic ones. Kinks
/// (ReLU, max, abs) are handled as described on ``gradientCheck(_:inputs:epsilon:tolerance:seed:ignoreKinks:)``.
///
/// ```swift
/// let model = MLP(…)
/// model.eval()                                   // dropout off: the loss must be deterministic
/// let result = gradientCheck(model, loss: { crossEntropy(logits: model(x), targets: y) },
///                            epsilon: 1e-2, maxElementsPerParameter: 32)
/// #expect(result.passed, "\(result)")          // names the parameter of the worst element
/// ```
/// - Parameters:
///   - module: whose parameters are checked (names from `namedParameters()`).
///   - loss: computes a scalar loss from the module's current parameters; deterministic.
///   - epsilon: finite-difference step.
///   - tolerance: pass criterion `|analytic − numeric| ≤ tolerance · (1 + |numeric|)`.
///   - maxElementsPerParameter: elements checked per parameter (nil: every element).
///   - seed: seeds the element sampling.
///   - ignoreKinks: when true, elements explained by a kink within ε do not fail the check.
public func gradientCheck(_ module: any Module, loss: () -> Tensor, epsilon: Float = 1e-2, tolerance: Float = 1e-2,
                          maxElementsPerParameter: Int? = 64, seed: UInt64 = 0x5EED,
                          ignoreKinks: Bool = false) -> GradientCheckResult {
    let named = module.namedParameters().filter { $0.1.requiresGrad }
    module.zeroGrad()
    let value = loss()
    precondition(value.count == 1, "gradientCheck(module:loss:): the loss must be a scalar, got shape \(value.shape)")
    value.backward()
    var rng = RandomGenerator(seed: seed)
    var probes: [GradientProbe] = []
    var total = 0
    for (index, (name, parameter)) in named.enumerated() {
        // Addresses are taken after the first forward: a module may move its values once
        // (BertSelfAttention packs Q, K and V into one buffer) and then keeps them in place.
        let grad = parameter.grad
        let analytic = grad?.toArray() ?? [Float](repeating: 0, count: parameter.value.count)
        let count = parameter.value.count
        total += count
        let elements: [Int]
        if let limit = maxElementsPerParameter, count > limit {
            var chosen = Set<Int>()
            while chosen.count < limit { chosen.insert(rng.nextInt(below: count)) }
            elements = chosen.sorted()
        } else {
            elements = Array(0..<count)
        }
        for e in elements {
            probes.append(GradientProbe(input: index, element: e, name: name,
                                        pointer: elementPointer(parameter.value, flat: e), analytic: Double(analytic[e])))
        }
    }
    let objective = { Double(withNoGrad { loss() }.toArray()[0]) }
    return runGradientCheck(probes, objective: objective, epsilon: epsilon, tolerance: tolerance,
                            totalElements: total, ignoreKinks: ignoreKinks)
}
