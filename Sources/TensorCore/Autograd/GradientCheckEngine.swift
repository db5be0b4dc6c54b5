/// One element to perturb: where its value lives and what autodiff said about it.
struct GradientProbe {
    let input: Int
    let element: Int
    let name: String
    let pointer: UnsafeMutablePointer<Float>
    let analytic: Double
}

/// Central finite differences over `probes` with kink classification of failing elements
/// (shared by the tensor-function and module gradient checks).
func runGradientCheck(_ probes: [GradientProbe], objective: () -> Double, epsilon: Float, tolerance: Float,
                      totalElements: Int, ignoreKinks: Bool) -> GradientCheckResult {
    var result = GradientCheckResult(maxAbsoluteError: 0, maxRelativeError: 0, worstInput: -1, worstElement: -1,
                                     worstAnalytic: 0, worstNumeric: 0, passed: true)
    result.epsilon = epsilon
    result.tolerance = tolerance
    result.checkedElements = probes.count
    result.totalElements = totalElements
    let center = objective()

    /// f(x + step), f(x − step) at one element, restoring it afterwards.
    func sides(_ p: GradientProbe, _ step: Float) -> (Double, Double) {
        let original = p.pointer.pointee
        p.pointer.pointee = original + step
        let plus = objective()
        p.pointer.pointee = original - step
        let minus = objective()
        p.pointer.pointee = original
        return (plus, minus)
    }

    var worstScore = -1.0
    for p in probes {
        let (plus, minus) = sides(p, epsilon)
        let numeric = (plus - minus) / (2 * Double(epsilon))
        let a = p.analytic
        let absError = abs(a - numeric)
        result.maxAbsoluteError = max(result.maxAbsoluteError, absError)
        result.maxRelativeError = max(result.maxRelativeError, absError / max(abs(a), abs(numeric), 1e-6))
        let score = absError / (1 + abs(numeric))
        var kink: GradientCheckResult.Kink?
        if score > Double(tolerance) {
            kink = classifyKink(p, center: center, plus: plus, minus: minus, epsilon: epsilon, tolerance: tolerance,
                                sides: sides)
            if kink != nil { result.kinkElements += 1 } else { result.failingElements += 1 }
            if kink == nil || !ignoreKinks { result.passed = false }
        }
        if score > worstScore {
            worstScore = score
            result.worstInput = p.input
            result.worstElement = p.element
            result.worstName = p.name
            result.worstAnalytic = a
            result.worstNumeric = numeric
            result.worstKink = kink
        }
    }
    return result
}

/// Kink evidence for a failing element, or nil when the function looks smooth there.
///
/// A smooth function's one-sided slopes differ by about |f″|·ε, so the gap shrinks tenfold with
/// a tenfold smaller step and the central difference's error is a small fraction of it. Across
/// a kink at distance d < ε the central difference is off by half the gap, and the gap either
/// stays the jump in slope (d < ε/10) or vanishes with the smaller step, which then agrees with
/// autodiff (ε/10 < d < ε).
func classifyKink(_ p: GradientProbe, center: Double, plus: Double, minus: Double, epsilon: Float, tolerance: Float,
                  sides: (GradientProbe, Float) -> (Double, Double)) -> GradientCheckResult.Kink? {
    let e = Double(epsilon)
    let right = (plus - center) / e, left = (center - minus) / e
    let gap = abs(right - left)
    let numeric = (plus - minus) / (2 * e)
    guard gap > Double(tolerance) * (1 + abs(numeric)) else { return nil }  // one-sided slopes agree: no kink
    // Across a kink the central difference is off by half the gap; a smooth function's error
    // (|f‴|·ε²/6) is a small fraction of its gap (|f″|·ε).
    guard abs(p.analytic - numeric) >= 0.1 * gap else { return nil }
    let small = epsilon / 10
    let (sp, sm) = sides(p, small)
    let smallNumeric = (sp - sm) / (2 * Double(small))
    let passesSmall = abs(p.analytic - smallNumeric) <= Double(tolerance) * (1 + abs(smallNumeric))
    let smallGap = abs((sp - center) - (center - sm)) / Double(small)
    // Smooth: the gap shrinks ~10×. Kink: the small step passes, or the gap stays large.
    guard passesSmall || smallGap > 0.5 * gap else { return nil }
    return GradientCheckResult.Kink(leftSlope: left, rightSlope: right, passesWithSmallerStep: passesSmall)
}
