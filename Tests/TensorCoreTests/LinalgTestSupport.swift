import Foundation
import Testing
import TensorCore

/// Fixture file of Scripts/make_linalg_fixtures.py (torch.linalg references).
struct LinalgFixtureFile: Decodable {
    var torch: String
    var cases: [LinalgFixtureCase]
    var errors: [LinalgErrorCase]

    static func load() throws -> LinalgFixtureFile {
        guard let url = Bundle.module.url(forResource: "linalg", withExtension: "json", subdirectory: "Fixtures") else {
            throw KernelCheck.FixtureMissing()
        }
        return try JSONDecoder().decode(LinalgFixtureFile.self, from: Data(contentsOf: url))
    }
}

struct LinalgFixtureCase: Decodable {
    var name: String
    var op: String
    var params: [String: String]
    var inputs: [String: KernelFixtureTensor]
    var outputs: [KernelFixtureTensor]
    var upstream: [KernelFixtureTensor?]
    var grads: [String: KernelFixtureTensor]
}

struct LinalgErrorCase: Decodable {
    var name: String
    var op: String
    var kind: String
    var inputs: [String: KernelFixtureTensor]
    /// torch's LAPACK info per matrix of the batch.
    var info: [Int]
}

enum LinalgCheck {
    /// Runs `body`; a thrown error is recorded as a test failure and replaced by a zero scalar.
    static func run(_ body: () throws -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) -> Tensor {
        do {
            return try body()
        } catch {
            Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
            return Tensor.zeros([1])
        }
    }

    /// ±1 per column of each matrix of `ours` `[…, r, k]`: the sign that makes the column agree
    /// with the same column of `reference` (same shape, row-major values). Shape `[…, k]`.
    static func columnSigns(_ ours: Tensor, _ reference: [Double]) -> Tensor {
        let r = ours.shape[ours.rank - 2], k = ours.shape[ours.rank - 1]
        let values = ours.toArray()
        let batch = values.count / (r * k)
        var signs = [Float](repeating: 1, count: batch * k)
        for b in 0..<batch {
            for j in 0..<k {
                var dot = 0.0
                for i in 0..<r { dot += Double(values[b * r * k + i * k + j]) * reference[b * r * k + i * k + j] }
                signs[b * k + j] = dot < 0 ? -1 : 1
            }
        }
        return Tensor(signs, shape: Array(ours.shape.dropLast(2)) + [k])
    }

    /// A symmetric matrix batch `(x + xᵀ)/2`, differentiable.
    static func symmetric(_ x: Tensor) -> Tensor { (x + x.transposed(-2, -1)) * 0.5 }

    /// `x xᵀ + shift · I`, symmetric positive definite and differentiable in `x`.
    static func positiveDefinite(_ x: Tensor, shift: Float) -> Tensor {
        let n = x.shape[x.rank - 1]
        var eye = [Float](repeating: 0, count: n * n)
        for i in 0..<n { eye[i * n + i] = shift }
        return x.matmul(x.transposed(-2, -1)) + Tensor(eye, shape: [n, n])
    }

    /// Lower-triangular part of `x` (a product with a constant mask, differentiable).
    static func lowerTriangle(_ x: Tensor) -> Tensor {
        let n = x.shape[x.rank - 1]
        var mask = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { mask[i * n + j] = 1 } }
        return x * Tensor(mask, shape: [n, n])
    }

    /// Square matrices `uniform + n · I`: well conditioned.
    static func wellConditioned(_ shape: [Int], seed: UInt64) -> Tensor {
        let n = shape[shape.count - 1]
        var eye = [Float](repeating: 0, count: n * n)
        for i in 0..<n { eye[i * n + i] = Float(n) }
        return KernelCheck.uniform(shape, low: -1, high: 1, seed: seed) + Tensor(eye, shape: [n, n])
    }

    /// Flattens and concatenates `parts` (for gradient checks of ops with several outputs).
    static func flat(_ parts: [Tensor]) -> Tensor {
        Tensor.concat(parts.map { $0.reshape([-1]) }, axis: 0)
    }
}
