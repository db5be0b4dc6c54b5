import Testing
import TensorCore

/// Forward and gradient parity with torch.linalg: Fixtures/linalg.json holds inputs, outputs,
/// upstream gradients and input gradients computed by torch 2.15 (float64 on float32 inputs) —
/// see Scripts/make_linalg_fixtures.py. Sign-ambiguous factors (singular vectors, eigenvectors,
/// QR columns) are aligned with torch's before comparing; the loss is computed on the aligned
/// outputs, so the upstream gradients are flipped with them.
@Suite struct LinalgParityTests {
    static let forwardTolerance = (absolute: 1e-5, relative: 1e-5)
    static let gradientTolerance = (absolute: 1e-4, relative: 1e-4)

    static func caseNames() -> [String] {
        (try? LinalgFixtureFile.load().cases.map(\.name)) ?? ["<fixtures missing>"]
    }

    /// Runs the op of a case on `p` and returns its outputs with signs aligned to torch's.
    static func run(_ c: LinalgFixtureCase, _ p: [String: Parameter]) throws -> [Tensor] {
        func v(_ name: String) -> Tensor { p[name]!.value }
        let expected = c.outputs.map(\.data)
        switch c.op {
        case "solve": return [try Linalg.solve(v("a"), v("b"))]
        case "inverse": return [try Linalg.inverse(v("a"))]
        case "det": return [try Linalg.det(v("a"))]
        case "slogdet":
            let (sign, logAbs) = try Linalg.slogdet(v("a"))
            return [sign, logAbs]
        case "cholesky": return [try Linalg.cholesky(v("a"))]
        case "cholesky_solve": return [try Linalg.choleskySolve(v("b"), factor: v("l"))]
        case "qr":
            let (q, r) = try Linalg.qr(v("a"))
            let d = LinalgCheck.columnSigns(q, expected[0])                    // […, k]
            return [q * d.unsqueeze(axis: -2), r * d.unsqueeze(axis: -1)]
        case "svd":
            let (u, s, vh) = try Linalg.svd(v("a"))
            let d = LinalgCheck.columnSigns(u, expected[0])                    // […, k]
            return [u * d.unsqueeze(axis: -2), s, vh * d.unsqueeze(axis: -1)]
        case "svdvals": return [try Linalg.svdvals(v("a"))]
        case "eigh":
            let (values, vectors) = try Linalg.eigh(v("a"))
            let d = LinalgCheck.columnSigns(vectors, expected[1])
            return [values, vectors * d.unsqueeze(axis: -2)]
        case "eigvalsh": return [try Linalg.eigvalsh(v("a"))]
        case "lstsq": return [try Linalg.lstsq(v("a"), v("b"))]
        case "pinv": return [try Linalg.pinv(v("a"))]
        case "matrix_norm":
            let kind: Linalg.MatrixNormKind
            switch c.params["kind"] {
            case "nuclear": kind = .nuclear
            case "spectral": kind = .spectral
            default: kind = .frobenius
            }
            return [try Linalg.matrixNorm(v("a"), kind)]
        default:
            Issue.record("unknown op \(c.op) in case \(c.name)")
            return []
        }
    }

    @Test(arguments: caseNames())
    func matchesTorch(_ name: String) throws {
        let file = try LinalgFixtureFile.load()
        let c = try #require(file.cases.first { $0.name == name })
        let parameters = c.inputs.mapValues { Parameter($0.tensor) }
        let outputs = try Self.run(c, parameters)
        try #require(outputs.count == c.outputs.count, "\(name): \(outputs.count) outputs")
        for (i, (output, expected)) in zip(outputs, c.outputs).enumerated() {
            KernelCheck.close(output, expected.data, shape: expected.shape, absolute: Self.forwardTolerance.absolute,
                              relative: Self.forwardTolerance.relative, "\(name) output \(i)")
        }
        var loss: Tensor?
        for (output, upstream) in zip(outputs, c.upstream) {
            guard let upstream else { continue }
            let term = (output * upstream.tensor).sum()
            loss = loss.map { $0 + term } ?? term
        }
        try #require(loss != nil)
        loss!.backward()
        for (input, expected) in c.grads {
            let grad = try #require(parameters[input]!.grad, "\(name): no gradient for \(input)")
            KernelCheck.close(grad, expected.data, shape: expected.shape, absolute: Self.gradientTolerance.absolute,
                              relative: Self.gradientTolerance.relative, "\(name) gradient of \(input)")
        }
    }

    @Test func fixturesCoverEveryOp() throws {
        let ops = Set(try LinalgFixtureFile.load().cases.map(\.op))
        #expect(ops == ["solve", "inverse", "det", "slogdet", "cholesky", "cholesky_solve", "qr", "svd", "svdvals",
                        "eigh", "eigvalsh", "lstsq", "pinv", "matrix_norm"])
    }
}
