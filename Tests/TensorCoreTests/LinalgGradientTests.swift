import Testing
import TensorCore

/// Finite-difference gradient checks (``gradientCheck``) for every Linalg op, batched where the
/// op allows. Symmetric-input ops (cholesky, eigh) are checked through a symmetric
/// parametrisation, as their gradients are defined on symmetric matrices; ops with several
/// outputs are checked on all outputs at once. Factors with a sign freedom per column (Q, U/Vh,
/// eigenvectors) are checked with a fixed gauge — each column's sign aligned with the factor at
/// the unperturbed input — since LAPACK may flip a column between nearby inputs.
@Suite struct LinalgGradientTests {
    typealias Check = LinalgCheck
    static let epsilon: Float = 1e-2
    static let tolerance: Float = 2e-3

    func check(_ what: String, _ inputs: [Tensor], epsilon: Float = epsilon, tolerance: Float = tolerance,
               sourceLocation: SourceLocation = #_sourceLocation, _ f: @escaping ([Tensor]) throws -> Tensor) {
        KernelCheck.gradient(what, inputs: inputs, epsilon: epsilon, tolerance: tolerance,
                             sourceLocation: sourceLocation) { x in Check.run { try f(x) } }
    }

    @Test func solve() {
        let a = Check.wellConditioned([2, 3, 3], seed: 1)
        check("solve matrix", [a, KernelCheck.uniform([2, 3, 2], seed: 2)]) { try Linalg.solve($0[0], $0[1]) }
        check("solve vector", [a, KernelCheck.uniform([2, 3], seed: 3)]) { try Linalg.solve($0[0], $0[1]) }
        check("solve broadcast", [Check.wellConditioned([3, 3], seed: 4), KernelCheck.uniform([2, 3, 2], seed: 5)]) {
            try Linalg.solve($0[0], $0[1])
        }
        check("solve transposed input", [Check.wellConditioned([3, 3], seed: 6).transposed(), KernelCheck.uniform([3, 1], seed: 7)]) {
            try Linalg.solve($0[0], $0[1])
        }
    }

    @Test func inverse() {
        check("inverse", [Check.wellConditioned([2, 3, 3], seed: 8)]) { try Linalg.inverse($0[0]) }
    }

    @Test func determinant() {
        check("det", [Check.wellConditioned([2, 3, 3], seed: 9)]) { try Linalg.det($0[0]) }
        // Singular (a zero row): det is a polynomial, its gradient the adjugate — the SVD path.
        let singular = Tensor([1, 2, 3, 0, 0, 0, 4, 5, 7], shape: [3, 3])
        check("det singular", [singular]) { try Linalg.det($0[0]) }
        // Rank 2 with tiny pivots in Float64 (|det| < 100 ε): the near-singular SVD path.
        check("det near singular", [Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [3, 3])]) { try Linalg.det($0[0]) }
        check("slogdet", [Check.wellConditioned([2, 3, 3], seed: 10)]) { try Linalg.slogdet($0[0]).logAbsDet }
    }

    @Test func cholesky() {
        let x = KernelCheck.uniform([2, 3, 3], low: -1, high: 1, seed: 11)
        check("cholesky of x xᵀ + 2I", [x]) { try Linalg.cholesky(Check.positiveDefinite($0[0], shift: 2)) }
        check("cholesky of a symmetric input", [Check.positiveDefinite(x, shift: 2)]) {
            try Linalg.cholesky(Check.symmetric($0[0]))
        }
        let b = KernelCheck.uniform([2, 3, 2], seed: 12)
        check("cholesky_solve through cholesky", [b, x]) {
            try Linalg.choleskySolve($0[0], factor: Linalg.cholesky(Check.positiveDefinite($0[1], shift: 2)))
        }
        let l = Check.lowerTriangle(Check.wellConditioned([2, 3, 3], seed: 13))
        check("cholesky_solve lower factor", [b, l]) {
            try Linalg.choleskySolve($0[0], factor: Check.lowerTriangle($0[1]))
        }
    }

    /// ±1 per column of `columns` `[…, r, k]` aligning it with `reference` (same shape), constant.
    func gauge(_ columns: Tensor, _ reference: Tensor) -> Tensor {
        Check.columnSigns(columns, reference.toArray().map(Double.init))
    }

    @Test(arguments: [[2, 4, 3], [3, 5], [4, 4]])
    func qr(_ shape: [Int]) throws {
        let a = KernelCheck.uniform(shape, low: -1, high: 1, seed: 14)
        let q0 = try Linalg.qr(a).q
        check("qr \(shape)", [a]) {
            let (q, r) = try Linalg.qr($0[0])
            let d = gauge(q, q0)
            return Check.flat([q * d.unsqueeze(axis: -2), r * d.unsqueeze(axis: -1)])
        }
    }

    @Test(arguments: [[2, 4, 3], [3, 5], [4, 4]])
    func svd(_ shape: [Int]) throws {
        let a = KernelCheck.uniform(shape, low: -1, high: 1, seed: 15)
        let (u0, _, vh0) = try Linalg.svd(a)
        check("svd \(shape)", [a]) {
            let (u, s, vh) = try Linalg.svd($0[0])
            let d = gauge(u, u0)
            return Check.flat([u * d.unsqueeze(axis: -2), s, vh * d.unsqueeze(axis: -1)])
        }
        check("svd u only \(shape)", [a]) {
            let u = try Linalg.svd($0[0]).u
            return u * gauge(u, u0).unsqueeze(axis: -2)
        }
        check("svd vh only \(shape)", [a]) {
            let vh = try Linalg.svd($0[0]).vh
            return vh * gauge(vh.transposed(-2, -1), vh0.transposed(-2, -1)).unsqueeze(axis: -1)
        }
        check("svdvals \(shape)", [a]) { try Linalg.svdvals($0[0]) }
    }

    @Test func eigh() throws {
        let x = KernelCheck.uniform([2, 4, 4], low: -1, high: 1, seed: 16)
        let v0 = try Linalg.eigh(Check.symmetric(x)).eigenvectors
        check("eigh", [x], epsilon: 2e-3) {
            let (values, vectors) = try Linalg.eigh(Check.symmetric($0[0]))
            return Check.flat([values, vectors * gauge(vectors, v0).unsqueeze(axis: -2)])
        }
        check("eigvalsh", [x]) { try Linalg.eigvalsh(Check.symmetric($0[0])) }
    }

    @Test func leastSquares() {
        let a = KernelCheck.uniform([2, 5, 3], low: -1, high: 1, seed: 17)
        check("lstsq matrix", [a, KernelCheck.uniform([2, 5, 2], seed: 18)]) { try Linalg.lstsq($0[0], $0[1]) }
        check("lstsq vector", [a, KernelCheck.uniform([2, 5], seed: 19)]) { try Linalg.lstsq($0[0], $0[1]) }
        check("pinv tall", [a]) { try Linalg.pinv($0[0]) }
        check("pinv wide", [KernelCheck.uniform([3, 5], low: -1, high: 1, seed: 20)]) { try Linalg.pinv($0[0]) }
    }

    @Test func matrixNorms() {
        let a = KernelCheck.uniform([2, 3, 4], low: -1, high: 1, seed: 22)
        check("frobenius", [a]) { try Linalg.matrixNorm($0[0], .frobenius) }
        check("nuclear", [a]) { try Linalg.matrixNorm($0[0], .nuclear) }
        check("spectral", [a]) { try Linalg.matrixNorm($0[0], .spectral) }
    }
}
