import Foundation
import Testing
import TensorCore

/// Typed errors: singular, not positive definite and non-finite inputs become a `LinalgError`
/// naming the op, the failing matrix's batch index and LAPACK's info (the expected info values
/// are torch's, from its `*_ex` ops, in Fixtures/linalg.json).
@Suite struct LinalgErrorTests {
    static func caseNames() -> [String] {
        (try? LinalgFixtureFile.load().errors.map(\.name)) ?? ["<fixtures missing>"]
    }

    @Test(arguments: caseNames())
    func matchesTorchInfo(_ name: String) throws {
        let c = try #require(try LinalgFixtureFile.load().errors.first { $0.name == name })
        func v(_ key: String) -> Tensor { c.inputs[key]!.tensor }
        let failing = try #require(c.info.firstIndex { $0 != 0 })
        let expectedKind: LinalgError.Kind = c.kind == "singular" ? .singular : .notPositiveDefinite
        let expected = LinalgError(op: "linalg.\(c.op == "inverse" ? "inv" : c.op)", kind: expectedKind,
                                   batchIndex: failing, info: c.info[failing])
        #expect(throws: expected) {
            switch c.op {
            case "solve": _ = try Linalg.solve(v("a"), v("b"))
            case "inverse": _ = try Linalg.inverse(v("a"))
            case "cholesky": _ = try Linalg.cholesky(v("a"))
            default: Issue.record("unknown op \(c.op)")
            }
        }
    }

    @Test func choleskySolveRejectsZeroDiagonal() {
        let l = Tensor([2, 0, 0, 1, 0, 0, 3, 1, 4], shape: [3, 3])   // L[1, 1] = 0
        #expect(throws: LinalgError(op: "linalg.cholesky_solve", kind: .singular, batchIndex: 0, info: 2)) {
            _ = try Linalg.choleskySolve(Tensor.ones([3, 1]), factor: l)
        }
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteInputIsRejected(_ bad: Float) {
        var values = [Float](repeating: 0, count: 3 * 2 * 2)
        for b in 0..<3 { values[b * 4] = 2; values[b * 4 + 3] = 2 }   // 2·I per matrix
        values[2 * 4 + 1] = bad                                         // matrix 2
        let a = Tensor(values, shape: [3, 2, 2])
        func expectRejected(_ op: String, _ body: () throws -> Void) {
            #expect(throws: LinalgError(op: op, kind: .nonFiniteInput, batchIndex: 2, info: 0), "\(op)") { try body() }
        }
        expectRejected("linalg.solve") { _ = try Linalg.solve(a, Tensor.ones([3, 2])) }
        expectRejected("linalg.inv") { _ = try Linalg.inverse(a) }
        expectRejected("linalg.det") { _ = try Linalg.det(a) }
        expectRejected("linalg.slogdet") { _ = try Linalg.slogdet(a) }
        expectRejected("linalg.cholesky") { _ = try Linalg.cholesky(a) }
        expectRejected("linalg.qr") { _ = try Linalg.qr(a) }
        expectRejected("linalg.svd") { _ = try Linalg.svd(a) }
        expectRejected("linalg.svdvals") { _ = try Linalg.svdvals(a) }
        expectRejected("linalg.eigh") { _ = try Linalg.eigh(a) }
        expectRejected("linalg.eigvalsh") { _ = try Linalg.eigvalsh(a) }
        expectRejected("linalg.lstsq") { _ = try Linalg.lstsq(a, Tensor.ones([3, 2])) }
        expectRejected("linalg.pinv") { _ = try Linalg.pinv(a) }
        expectRejected("linalg.svdvals") { _ = try Linalg.matrixNorm(a, .nuclear) }
    }

    @Test func singularDeterminantIsAResultNotAnError() throws {
        let a = Tensor([1, 2, 2, 4], shape: [2, 2])
        #expect(try Linalg.det(a).item == 0)
        let (sign, logAbs) = try Linalg.slogdet(a)
        #expect(sign.item == 0)
        #expect(logAbs.item == -.infinity)
    }

    @Test func messageNamesOpBatchAndInfo() {
        let error = LinalgError(op: "linalg.cholesky", kind: .notPositiveDefinite, batchIndex: 4, info: 3)
        #expect(error.description.contains("linalg.cholesky"))
        #expect(error.description.contains("matrix 4"))
        #expect(error.description.contains("info 3"))
    }
}
