import TensorCore

/// Anything that says whether a parity check passed and why: the reports of this library
/// (``TensorComparison``, ``TensorMapComparison``, ``ReferenceComparison``, ``CheckpointDiff``,
/// `GradientCheckResult`) all conform, so one assertion helper covers them all.
///
/// ```swift
/// let report = TensorComparison(got, want, tolerance: .float32Forward)
/// #expect(report.passed, "\(report)")          // Swift Testing, plain
/// expectParity(report)                          // Swift Testing helper (records the description)
/// XCTAssertParity(report)                       // XCTest helper
/// ```
public protocol ParityReport: CustomStringConvertible {
    /// True when the check passed.
    var passed: Bool { get }
}

extension GradientCheckResult: ParityReport {}
