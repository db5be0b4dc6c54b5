#if canImport(XCTest)
import XCTest
import TensorCore

// XCTest helpers in the `XCTAssert…` style: failures are reported at the caller's file and line.

/// Fails the test with the report's description when `report` did not pass.
///
/// ```swift
/// func testLogits() {
///     XCTAssertParity(TensorComparison(out.logits, reference, tolerance: .float32Forward, name: "logits"))
/// }
/// ```
public func XCTAssertParity(_ report: some ParityReport, _ message: @autoclosure () -> String = "",
                            file: StaticString = #filePath, line: UInt = #line) {
    guard !report.passed else { return }
    let m = message()
    XCTFail(m.isEmpty ? report.description : "\(m)\n\(report.description)", file: file, line: line)
}

/// `allclose` with a useful failure (worst element, both values, max differences, failing count,
/// NaN/inf mismatches).
///
/// ```swift
/// XCTAssertClose(out.lastHiddenState, reference, rtol: 1e-5, atol: 1e-5)
/// ```
public func XCTAssertClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8,
                           equalNaN: Bool = false, _ message: @autoclosure () -> String = "",
                           file: StaticString = #filePath, line: UInt = #line) {
    let report = TensorComparison(actual, expected, tolerance: Tolerance(rtol: rtol, atol: atol, equalNaN: equalNaN))
    XCTAssertParity(report, message(), file: file, line: line)
}
#endif
