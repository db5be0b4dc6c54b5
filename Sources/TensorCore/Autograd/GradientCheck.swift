/// Compares the gradients autodiff computes for `f` with central finite differences.
///
/// The output of `f` is reduced to a scalar `Σ w ⊙ f(x)` with fixed random weights `w`
/// (seeded by `seed`), so every output element contributes. Each input is wrapped in a
/// ``Parameter`` keeping its layout (transposed or sliced inputs stay non-contiguous; inputs
/// with stride-0 dimensions are made contiguous), and every element is perturbed by
/// `±epsilon`; the weighted sums are accumulated in Float64. Inputs are checked element by
/// element, so keep them small (tens to a few hundred elements); for a whole module use
/// ``gradientCheck(_:loss:epsilon:tolerance:maxElementsPerParameter:seed:ignoreKinks:)``.
///
/// **Kinks.** ReLU at 0, `max`/`maximum` at a tie, `abs` at 0 and clamps at their bounds are not
/// differentiable. A point within `epsilon` of such a kink gives a central difference that
/// averages the slopes of both sides, so the check can fail although the gradient is right
/// (a ReLU input 0.004 from 0 fails with the default step 1e-2). Failing elements are therefore
/// re-examined: when their one-sided slopes disagree by an amount that does not shrink with the
/// step, the result counts them as ``GradientCheckResult/kinkElements`` and the description says
/// that the point lies within ε of a kink and whether a step of ε/10 passes. Choose points away
/// from kinks (e.g. inputs with |x| > 2ε for ReLU), a smaller `epsilon`, or `ignoreKinks: true`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 1)
/// let x = Tensor.normal([3, 4], generator: &rng)
/// let result = gradientCheck({ $0[0].exp().sum(axes: [1]) }, inputs: [x])
/// #expect(result.passed, "\(result)")
/// ```
/// - Parameters:
///   - f: the function under test; it must be deterministic.
///   - inputs: the points at which to check; every input gets a gradient.
///   - epsilon: finite-difference step.
///   - tolerance: pass criterion `|analytic − numeric| ≤ tolerance · (1 + |numeric|)`.
///   - ignoreKinks: when true, elements explained by a kink within ε do not fail the check.
/// - Returns: the largest errors and where they occur.
public func gradientCheck(_ f: ([Tensor]) -> Tensor, inputs: [Tensor], epsilon: Float = 1e-2,
                          tolerance: Float = 1e-2, seed: UInt64 = 0x5EED,
                          ignoreKinks: Bool = false) -> GradientCheckResult {
    // Private copies that keep each input's strides (a private storage we may poke).
    let parameters: [Parameter] = inputs.map { input in
        let hasBroadcast = zip(input.shape, input.strides).contains { $0 > 1 && $1 == 0 }
        let source = hasBroadcast ? input.contiguousValues() : input
        let storage = TensorStorage(count: source.storage.count)
        storage.pointer.update(from: source.storage.pointer, count: source.storage.count)
        return Parameter(Tensor(shape: source.shape, strides: source.strides, offset: source.offset, storage: storage))
    }
    let probe = withNoGrad { f(parameters.map(\.value)) }
    var rng = RandomGenerator(seed: seed)
    let weights = Tensor.uniform(probe.shape, low: -1, high: 1, generator: &rng)
    let w = weights.toArray().map(Double.init)

    // Analytic.
    let output = f(parameters.map(\.value))
    output.backward(gradient: weights)
    var probes: [GradientProbe] = []
    for (inputIndex, p) in parameters.enumerated() {
        let analytic = p.grad?.toArray() ?? [Float](repeating: 0, count: p.value.count)
        for (flat, pointer) in elementPointers(p.value).enumerated() {
            probes.append(GradientProbe(input: inputIndex, element: flat, name: "", pointer: pointer,
                                        analytic: Double(analytic[flat])))
        }
    }

    func objective() -> Double {
        let values = withNoGrad { f(parameters.map(\.value)) }.toArray()
        var total = 0.0
        for i in 0..<values.count { total += Double(values[i]) * w[i] }
        return total
    }
    return runGradientCheck(probes, objective: objective, epsilon: epsilon, tolerance: tolerance,
                            totalElements: probes.count, ignoreKinks: ignoreKinks)
}

/// Storage address of the element at row-major index `flat` of `value`.
func elementPointer(_ value: Tensor, flat: Int) -> UnsafeMutablePointer<Float> {
    var rest = flat, position = value.offset
    for d in stride(from: value.rank - 1, through: 0, by: -1) where value.shape[d] > 0 {
        position += (rest % value.shape[d]) * value.strides[d]
        rest /= value.shape[d]
    }
    return value.storage.pointer + position
}

/// Storage addresses of every element of `value`, in row-major logical order.
func elementPointers(_ value: Tensor) -> [UnsafeMutablePointer<Float>] {
    let shape = value.shape
    var index = [Int](repeating: 0, count: shape.count)
    var result: [UnsafeMutablePointer<Float>] = []
    result.reserveCapacity(value.count)
    for _ in 0..<value.count {
        var position = value.offset
        for d in 0..<shape.count { position += index[d] * value.strides[d] }
        result.append(value.storage.pointer + position)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { break }
            index[d] = 0
            d -= 1
        }
    }
    return result
}
