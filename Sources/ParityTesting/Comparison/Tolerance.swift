/// NumPy `allclose` tolerances: an element passes when `|actual − expected| ≤ atol + rtol · |expected|`.
///
/// The test is asymmetric, as in NumPy: `expected` (the reference) scales the relative term.
/// Infinities pass only when both sides are the same infinity; NaN passes only against NaN and
/// only when `equalNaN` is true (NumPy's `equal_nan`).
///
/// ```swift
/// let forward = Tolerance(rtol: 1e-5, atol: 1e-5)
/// let report = TensorComparison(got, want, tolerance: forward)
/// ```
public struct Tolerance: Sendable, Equatable, CustomStringConvertible {
    /// Relative tolerance, multiplied by `|expected|`.
    public var rtol: Double
    /// Absolute tolerance.
    public var atol: Double
    /// Whether NaN in both tensors at the same index counts as equal.
    public var equalNaN: Bool

    /// Tolerances with NumPy's defaults (`rtol 1e-5`, `atol 1e-8`, NaN never equal).
    public init(rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) {
        self.rtol = rtol
        self.atol = atol
        self.equalNaN = equalNaN
    }

    /// NumPy's `allclose` defaults: `rtol 1e-5, atol 1e-8`.
    public static let numpy = Tolerance()
    /// Float32 forward outputs of a transformer against PyTorch: `rtol 1e-5, atol 1e-5`
    /// (what this package's own BERT parity tests use).
    public static let float32Forward = Tolerance(rtol: 1e-5, atol: 1e-5)
    /// Exact equality (`rtol 0, atol 0`).
    public static let exact = Tolerance(rtol: 0, atol: 0)

    /// How far `actual` is outside the band around `expected` (≤ 0 means close); `.infinity` for
    /// a NaN/inf mismatch, `-.infinity` for equal non-finite values.
    @inlinable
    public func excess(_ actual: Double, _ expected: Double) -> Double {
        if actual.isNaN || expected.isNaN {
            return actual.isNaN && expected.isNaN && equalNaN ? -.infinity : .infinity
        }
        if actual.isInfinite || expected.isInfinite { return actual == expected ? -.infinity : .infinity }
        return abs(actual - expected) - (atol + rtol * abs(expected))
    }

    /// True when `actual` is close to `expected` (NumPy `isclose(actual, expected)`).
    @inlinable
    public func isClose(_ actual: Double, _ expected: Double) -> Bool { excess(actual, expected) <= 0 }

    public var description: String { "rtol \(rtol), atol \(atol)\(equalNaN ? ", NaN == NaN" : "")" }
}
