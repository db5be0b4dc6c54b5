import Foundation
import Testing
import TensorCore
@testable import ParityTesting

/// `TensorComparison` against NumPy's `isclose`/`allclose` on planted differences, NaN and
/// infinities (Scripts/make_parity_fixtures.py → allclose_cases.*).
@Suite struct TensorComparisonTests {
    static var cases: [[String: Any]] {
        (try? parityJSON("allclose_cases.json"))?["cases"] as? [[String: Any]] ?? []
    }

    @Test(arguments: cases.map { $0["name"] as! String })
    func matchesNumPy(_ name: String) throws {
        let want = try #require(Self.cases.first { $0["name"] as! String == name })
        let file = try SafetensorsFile(path: parityFixture("allclose_cases.safetensors").path)
        let tolerance = Tolerance(rtol: want["rtol"] as! Double, atol: want["atol"] as! Double,
                                  equalNaN: want["equal_nan"] as! Bool)
        let c = TensorComparison(try file.tensor("\(name).actual"), try file.tensor("\(name).expected"),
                                 tolerance: tolerance, name: name)
        #expect(c.passed == want["allclose"] as! Bool)
        #expect(c.failingCount == want["failing"] as! Int)
        #expect(c.nonFiniteMismatchCount == want["nonfinite_mismatches"] as! Int)
        #expect(c.worst?.flatIndex == want["worst_flat"] as? Int)
        #expect(c.worst?.index == want["worst_index"] as? [Int])
        let maxAbs = want["max_abs"] as! Double  // JSON parsing may round the last bit
        #expect(abs(c.maxAbsoluteDifference - maxAbs) <= 1e-12 * maxAbs)
        if let rel = want["max_rel"] as? Double {
            #expect(abs(c.maxRelativeDifference - rel) <= 1e-12 * rel)
        } else {
            #expect(want["max_rel"] as? String == "inf")
            #expect(c.maxRelativeDifference == .infinity)
        }
        #expect(c.count == (want["shape"] as! [Int]).reduce(1, *))
    }

    /// The failure message names the worst element, both values, both differences, the failing
    /// count and the NaN/inf mismatches.
    @Test func failureMessageSaysWhereAndHowMuch() throws {
        let file = try SafetensorsFile(path: parityFixture("allclose_cases.safetensors").path)
        let c = TensorComparison(try file.tensor("planted.actual"), try file.tensor("planted.expected"),
                                 tolerance: Tolerance(rtol: 1e-5, atol: 1e-6), name: "planted")
        let text = c.description
        let w = try #require(c.worst)
        #expect(text.contains("planted: 3 of 60 elements differ (rtol 1e-05, atol 1e-06)"), "\(text)")
        #expect(text.contains("worst at [1, 2, 3] (flat 33)"), "\(text)")
        #expect(text.contains("actual \(fmt(w.actual)), expected \(fmt(w.expected))"), "\(text)")
        #expect(text.contains("max |diff| \(fmt(c.maxAbsoluteDifference)), max rel diff \(fmt(c.maxRelativeDifference))"))
        #expect(text.contains("0 NaN/inf mismatches"), "\(text)")
        let nonFinite = TensorComparison(try file.tensor("nonfinite.actual"), try file.tensor("nonfinite.expected"),
                                         tolerance: Tolerance(rtol: 1e-3, atol: 1e-4))
        #expect(nonFinite.description.contains("4 NaN/inf mismatches"), "\(nonFinite)")
        #expect(nonFinite.description.contains("actual nan, expected nan"), "\(nonFinite)")
    }

    @Test func differentShapesFailWithBothShapes() {
        let c = TensorComparison(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]), name: "x")
        #expect(!c.passed)
        #expect(c.description == "x: shape [2, 3] differs from expected [3, 2]")
    }

    /// Strided (transposed) tensors are read in logical order.
    @Test func comparesLogicalOrderOfViews() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let t = x.transposed()  // [3, 2], non-contiguous
        let c = TensorComparison(t, Tensor([1, 4, 2, 5, 3, 6], shape: [3, 2]), tolerance: .exact)
        #expect(c.passed, "\(c)")
    }

    @Test func namedMapsReportMissingUnexpectedAndFailures() {
        let a = ["a": Tensor([1, 2], shape: [2]), "b": Tensor([1, 2.5], shape: [2]), "extra": Tensor(0)]
        let e = ["a": Tensor([1, 2], shape: [2]), "b": Tensor([1, 2], shape: [2]), "gone": Tensor(0)]
        let m = TensorMapComparison(a, e)
        #expect(!m.passed)
        #expect(m.missing == ["gone"])
        #expect(m.unexpected == ["extra"])
        #expect(m.failures.map(\.name) == ["b"])
        #expect(m.description.hasPrefix("1 of 2 tensors differ\nmissing (in the reference only): gone\n"
                                        + "unexpected (not in the reference): extra\nb: 1 of 2 elements differ"), "\(m)")
        let lenient = TensorMapComparison(a.filter { $0.key != "b" }, e.filter { $0.key != "gone" && $0.key != "b" },
                                          unexpectedKeysFail: false)
        #expect(lenient.passed, "\(lenient)")
    }
}
