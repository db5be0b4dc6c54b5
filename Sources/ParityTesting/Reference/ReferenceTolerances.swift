/// Tolerances of a reference comparison: NumPy `allclose` for forward values, and a
/// scale-relative bound for gradients.
///
/// Gradients use `|got − want| ≤ gradientScale · max(max|want|, gradientFloor)` per tensor:
/// float32 summation noise grows with a gradient's magnitude, and some gradients are exactly
/// zero in theory (key biases: softmax ignores them) so both sides hold only rounding noise.
///
/// ```swift
/// let loose = ReferenceTolerances(forward: Tolerance(rtol: 1e-4, atol: 1e-4), gradientScale: 1e-3)
/// ```
public struct ReferenceTolerances: Sendable, Equatable {
    /// Hidden states, attentions, pooler output and head logits.
    public var forward: Tolerance
    /// The loss.
    public var loss: Tolerance
    /// Gradient bound relative to the largest reference element of each tensor.
    public var gradientScale: Double
    /// Smallest scale used for a gradient tensor (so all-zero references get a small band).
    public var gradientFloor: Double

    /// The package's own BERT parity tolerances (float32 against PyTorch float32).
    public init(forward: Tolerance = .float32Forward, loss: Tolerance = .float32Forward,
                gradientScale: Double = 1e-4, gradientFloor: Double = 1e-2) {
        self.forward = forward
        self.loss = loss
        self.gradientScale = gradientScale
        self.gradientFloor = gradientFloor
    }

    /// The gradient tolerance for a reference gradient whose largest |element| is `maxAbs`.
    public func gradient(maxAbs: Double) -> Tolerance {
        Tolerance(rtol: 0, atol: gradientScale * max(maxAbs, gradientFloor))
    }
}
