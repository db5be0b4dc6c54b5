import Foundation
import TensorCore

/// The element-by-element comparison of one tensor with its reference: NumPy `allclose`
/// semantics (see ``Tolerance``) and everything a failure message needs.
///
/// ```swift
/// let c = TensorComparison(model(x), reference, tolerance: .float32Forward, name: "logits")
/// if !c.passed { print(c) }
/// // logits: 3 of 40 elements differ (rtol 1e-05, atol 1e-05)
/// //   worst at [1, 4] (flat 14): actual 0.51230, expected 0.49871, |diff| 0.01359, rel 0.02725
/// //   max |diff| 0.01359, max rel diff 0.02725, 0 NaN/inf mismatches
/// ```
public struct TensorComparison: ParityReport, Sendable {
    /// One element of the comparison.
    public struct Element: Sendable, Equatable {
        /// Index in row-major (logical) order.
        public var flatIndex: Int
        /// Multi-dimensional index.
        public var index: [Int]
        public var actual: Double
        public var expected: Double
        /// `|actual − expected|` (NaN/inf when a side is not finite).
        public var absoluteDifference: Double { abs(actual - expected) }
        /// `|actual − expected| / |expected|` (infinite when expected is 0 and actual is not).
        public var relativeDifference: Double {
            let d = absoluteDifference
            return d == 0 ? 0 : d / abs(expected)
        }
    }

    /// What was compared (a key, a layer name); empty when not given.
    public var name: String
    public var tolerance: Tolerance
    public var actualShape: [Int]
    public var expectedShape: [Int]
    /// Number of elements compared (0 when the shapes differ).
    public var count: Int
    /// Elements outside the tolerance, NaN/inf mismatches included.
    public var failingCount: Int
    /// Elements where at least one side is NaN or infinite and the two are not equal.
    public var nonFiniteMismatchCount: Int
    /// Largest `|actual − expected|` over elements where both sides are finite.
    public var maxAbsoluteDifference: Double
    /// Largest `|actual − expected| / |expected|` over elements where both sides are finite
    /// (infinite when a nonzero value is compared with 0).
    public var maxRelativeDifference: Double
    /// The element furthest outside `atol + rtol·|expected|` (a NaN/inf mismatch ranks first);
    /// nil for empty tensors or differing shapes.
    public var worst: Element?

    /// True when the shapes are equal and every element is close.
    public var shapesMatch: Bool { actualShape == expectedShape }
    public var passed: Bool { shapesMatch && failingCount == 0 }

    /// Compares `actual` with the reference `expected`.
    /// - Parameters:
    ///   - actual: the value under test (any layout; read in logical order).
    ///   - expected: the reference value; its magnitude scales `rtol`.
    ///   - tolerance: NumPy `allclose` tolerances.
    ///   - name: what is compared, for messages.
    public init(_ actual: Tensor, _ expected: Tensor, tolerance: Tolerance = .numpy, name: String = "") {
        self.init(actual.toArray().map(Double.init), shape: actual.shape, expected.toArray().map(Double.init),
                  shape: expected.shape, tolerance: tolerance, name: name)
    }

    /// Compares flat row-major arrays with shapes (for Float64 references or values that are
    /// not tensors).
    public init(_ actual: [Double], shape actualShape: [Int], _ expected: [Double], shape expectedShape: [Int],
                tolerance: Tolerance = .numpy, name: String = "") {
        self.name = name
        self.tolerance = tolerance
        self.actualShape = actualShape
        self.expectedShape = expectedShape
        count = 0
        failingCount = 0
        nonFiniteMismatchCount = 0
        maxAbsoluteDifference = 0
        maxRelativeDifference = 0
        worst = nil
        guard actualShape == expectedShape, actual.count == expected.count else { return }
        count = actual.count
        var worstExcess = -Double.infinity
        var worstIndex = -1
        for i in 0..<count {
            let a = actual[i], e = expected[i]
            let excess = tolerance.excess(a, e)
            if excess > 0 {
                failingCount += 1
                if !a.isFinite || !e.isFinite { nonFiniteMismatchCount += 1 }
            }
            if a.isFinite && e.isFinite {
                let d = abs(a - e)
                maxAbsoluteDifference = max(maxAbsoluteDifference, d)
                if d > 0 { maxRelativeDifference = max(maxRelativeDifference, d / abs(e)) }
            }
            if worstIndex < 0 || excess > worstExcess {
                worstExcess = excess
                worstIndex = i
            }
        }
        if worstIndex >= 0 {
            worst = Element(flatIndex: worstIndex, index: Self.unflatten(worstIndex, shape: expectedShape),
                            actual: actual[worstIndex], expected: expected[worstIndex])
        }
    }

    /// Row-major multi-index of a flat index.
    static func unflatten(_ flat: Int, shape: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return index
    }

    /// One line: "name: ok" / "name: 3 of 40 elements differ …, worst at …".
    public var summary: String {
        let label = name.isEmpty ? "tensor" : name
        guard shapesMatch else { return "\(label): shape \(actualShape) differs from expected \(expectedShape)" }
        if passed { return "\(label): \(count) elements close (max |diff| \(fmt(maxAbsoluteDifference)))" }
        var s = "\(label): \(failingCount) of \(count) elements differ"
        if let w = worst {
            s += "; worst at \(w.index): actual \(fmt(w.actual)), expected \(fmt(w.expected))"
        }
        return s
    }

    public var description: String {
        let label = name.isEmpty ? "tensor" : name
        guard shapesMatch else { return summary }
        var lines = [passed ? "\(label): \(count) elements close (\(tolerance))"
                            : "\(label): \(failingCount) of \(count) elements differ (\(tolerance))"]
        if let w = worst, !passed {
            lines.append("  worst at \(w.index) (flat \(w.flatIndex)): actual \(fmt(w.actual)), expected \(fmt(w.expected)), "
                         + "|diff| \(fmt(w.absoluteDifference)), rel \(fmt(w.relativeDifference))")
        }
        lines.append("  max |diff| \(fmt(maxAbsoluteDifference)), max rel diff \(fmt(maxRelativeDifference)), "
                     + "\(nonFiniteMismatchCount) NaN/inf mismatches")
        return lines.joined(separator: "\n")
    }
}

/// A number with 6 significant digits (no float noise in messages).
func fmt(_ x: Double) -> String {
    if x.isNaN || x.isInfinite { return "\(x)" }
    return String(format: "%.6g", x)
}
