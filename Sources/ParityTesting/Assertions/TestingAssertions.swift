#if canImport(Testing)
import Testing
import TensorCore

// Swift Testing helpers. They record an issue (with the report's full description) at the
// caller's source location and return the report, so a test can look further into it.
//
// Importing Testing here is safe for a library on Linux and macOS toolchains with Swift 6:
// debug and release builds of packages that depend on ParityTesting link, and the helpers are
// compiled out where Testing is unavailable.

/// Records an issue when `report` did not pass; returns `report.passed`.
///
/// ```swift
/// @Test func logits() throws {
///     expectParity(TensorComparison(out.logits, reference, tolerance: .float32Forward, name: "logits"))
/// }
/// ```
@discardableResult
public func expectParity(_ report: some ParityReport, _ comment: String = "",
                         sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    if !report.passed {
        let text = comment.isEmpty ? report.description : "\(comment)\n\(report.description)"
        Issue.record(Comment(rawValue: text), sourceLocation: sourceLocation)
    }
    return report.passed
}

/// `allclose` with a useful failure: records an issue naming the worst element, both values,
/// the max absolute and relative differences, how many elements fail and NaN/inf mismatches.
///
/// ```swift
/// expectClose(out.lastHiddenState, reference, rtol: 1e-5, atol: 1e-5, "last hidden state")
/// ```
@discardableResult
public func expectClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8,
                        equalNaN: Bool = false, _ name: String = "",
                        sourceLocation: SourceLocation = #_sourceLocation) -> TensorComparison {
    let report = TensorComparison(actual, expected, tolerance: Tolerance(rtol: rtol, atol: atol, equalNaN: equalNaN),
                                  name: name)
    expectParity(report, sourceLocation: sourceLocation)
    return report
}

/// `expectClose` for named tensor maps: every reference key must be present and close.
@discardableResult
public func expectClose(_ actual: [String: Tensor], _ expected: [String: Tensor], tolerance: Tolerance = .numpy,
                        sourceLocation: SourceLocation = #_sourceLocation) -> TensorMapComparison {
    let report = TensorMapComparison(actual, expected, tolerance: tolerance)
    expectParity(report, sourceLocation: sourceLocation)
    return report
}
#endif
