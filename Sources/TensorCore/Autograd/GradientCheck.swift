/// Outcome of ``gradientCheck(_:inputs:epsilon:tolerance:seed:)``.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// Largest |analytic − numeric| over all checked elements.
    public var maxAbsoluteError: Double
    /// Largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-6).
    public var maxRelativeError: Double
    /// Input index and flat element index of the worst element (by the pass criterion).
    public var worstInput: Int
    public var worstElement: Int
    /// Analytic and numeric derivative at the worst element.
    public var worstAnalytic: Double
    public var worstNumeric: Double
    /// True when every element satisfies |analytic − numeric| ≤ tolerance · (1 + |numeric|).
    public var passed: Bool

    public var description: String {
        "gradientCheck \(passed ? "passed" : "FAILED"): max abs error \(maxAbsoluteError), max rel error \(maxRelativeError); worst at input \(worstInput) element \(worstElement): analytic \(worstAnalytic) vs numeric \(worstNumeric)"
    }
}

/// Compares the gradients autodiff computes for `f` with central finite differences.
///
/// The output of `f` is reduced to a scalar `Σ w ⊙ f(x)` with fixed random weights `w`
/// (seeded by `seed`), so every output element contributes. Each input is wrapped in a
/// ``Parameter`` keeping its layout (transposed or sliced inputs stay non-contiguous; inputs
/// with stride-0 dimensions are made contiguous), and every element is perturbed by
/// `±epsilon`; the weighted sums are accumulated in Float64. Inputs are checked element by
/// element, so keep them small (tens to a few hundred elements).
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
/// - Returns: the largest errors and where they occur.
public func gradientCheck(_ f: ([Tensor]) -> Tensor, inputs: [Tensor], epsilon: Float = 1e-2,
                          tolerance: Float = 1e-2, seed: UInt64 = 0x5EED) -> GradientCheckResult {
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
    let analytic: [[Float]] = parameters.map { p in
        p.grad?.toArray() ?? [Float](repeating: 0, count: p.value.count)
    }

    func objective() -> Double {
        let values = withNoGrad { f(parameters.map(\.value)) }.toArray()
        var total = 0.0
        for i in 0..<values.count { total += Double(values[i]) * w[i] }
        return total
    }

    var result = GradientCheckResult(maxAbsoluteError: 0, maxRelativeError: 0, worstInput: -1, worstElement: -1,
                                     worstAnalytic: 0, worstNumeric: 0, passed: true)
    var worstScore = -1.0
    for (inputIndex, parameter) in parameters.enumerated() {
        let value = parameter.value
        let shape = value.shape
        let count = value.count
        var index = [Int](repeating: 0, count: shape.count)
        for flat in 0..<count {
            var position = value.offset
            for d in 0..<shape.count { position += index[d] * value.strides[d] }
            let pointer = value.storage.pointer + position
            let original = pointer.pointee
            pointer.pointee = original + epsilon
            let plus = objective()
            pointer.pointee = original - epsilon
            let minus = objective()
            pointer.pointee = original
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let a = Double(analytic[inputIndex][flat])
            let absError = abs(a - numeric)
            let relError = absError / max(abs(a), abs(numeric), 1e-6)
            result.maxAbsoluteError = max(result.maxAbsoluteError, absError)
            result.maxRelativeError = max(result.maxRelativeError, relError)
            let score = absError / (1 + abs(numeric))
            if score > Double(tolerance) { result.passed = false }
            if score > worstScore {
                worstScore = score
                result.worstInput = inputIndex
                result.worstElement = flat
                result.worstAnalytic = a
                result.worstNumeric = numeric
            }
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
    }
    return result
}
