/// Outcome of ``gradientCheck(_:inputs:epsilon:tolerance:seed:ignoreKinks:)`` and
/// ``gradientCheck(_:loss:epsilon:tolerance:maxElementsPerParameter:seed:ignoreKinks:)``.
///
/// A failing element is re-examined before it is reported: if its one-sided slopes differ by
/// an amount that does not shrink with the step (a smooth function's differ by about f''·ε, a
/// kink's by the jump in slope) the point lies within ε of a kink — ReLU at 0, `max` at a tie,
/// `abs` at 0 — where the central difference averages the two sides and the comparison means
/// nothing. The description then says so.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// Largest |analytic − numeric| over all checked elements.
    public var maxAbsoluteError: Double
    /// Largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-6).
    public var maxRelativeError: Double
    /// Input index and flat element index of the worst element (by the pass criterion).
    public var worstInput: Int
    public var worstElement: Int
    /// Name of the worst element's parameter (module checks) or "input i".
    public var worstName: String = ""
    /// Analytic and numeric derivative at the worst element.
    public var worstAnalytic: Double
    public var worstNumeric: Double
    /// True when every element satisfies |analytic − numeric| ≤ tolerance · (1 + |numeric|)
    /// (elements within ε of a kink excepted when the check ran with `ignoreKinks`).
    public var passed: Bool
    /// The finite-difference step and pass tolerance used.
    public var epsilon: Float = 0
    public var tolerance: Float = 0
    /// Number of elements checked (after sampling) and of elements in the inputs.
    public var checkedElements: Int = 0
    public var totalElements: Int = 0
    /// Failing elements explained by a kink within ε (see the type's documentation).
    public var kinkElements: Int = 0
    /// Failing elements not explained by a kink.
    public var failingElements: Int = 0
    /// For the worst element when it lies near a kink: the one-sided slopes (f(x+ε) − f(x))/ε and
    /// (f(x) − f(x−ε))/ε, and whether the check passes there with step ε/10.
    public var worstKink: Kink?

    /// Evidence that an element lies within ε of a kink.
    public struct Kink: Sendable, Equatable {
        public var leftSlope: Double
        public var rightSlope: Double
        /// True when a central difference with step ε/10 agrees with the analytic gradient.
        public var passesWithSmallerStep: Bool
    }

    public init(maxAbsoluteError: Double, maxRelativeError: Double, worstInput: Int, worstElement: Int,
                worstAnalytic: Double, worstNumeric: Double, passed: Bool) {
        self.maxAbsoluteError = maxAbsoluteError
        self.maxRelativeError = maxRelativeError
        self.worstInput = worstInput
        self.worstElement = worstElement
        self.worstAnalytic = worstAnalytic
        self.worstNumeric = worstNumeric
        self.passed = passed
    }

    public var description: String {
        let where_ = worstName.isEmpty ? "input \(worstInput)" : worstName
        var s = "gradientCheck \(passed ? "passed" : "FAILED"): max abs error \(maxAbsoluteError), max rel error "
            + "\(maxRelativeError); worst at \(where_) element \(worstElement): analytic \(worstAnalytic) vs numeric "
            + "\(worstNumeric)"
        if checkedElements < totalElements { s += "; \(checkedElements) of \(totalElements) elements sampled" }
        if failingElements > 0 || kinkElements > 0 {
            s += "; \(failingElements) elements fail, \(kinkElements) more lie within ε of a kink"
        }
        if let k = worstKink {
            s += ". The worst element lies within ε = \(epsilon) of a kink (ReLU, max, abs…): one-sided slopes "
                + "\(k.leftSlope) and \(k.rightSlope) differ, so the central difference averages two sides"
            s += k.passesWithSmallerStep
                ? "; with step ε/10 it agrees with the analytic gradient — use a smaller epsilon or a point away from the kink"
                : "; it still does with step ε/10 — the point sits on the kink, where the derivative is not defined: "
                    + "move the point"
        }
        return s
    }
}
