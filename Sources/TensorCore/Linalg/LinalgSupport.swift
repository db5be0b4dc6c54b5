/// Linear algebra with gradients, batched over leading dimensions, on LAPACKE — the
/// counterpart of `torch.linalg`.
///
/// Every op takes Float32 tensors `[…, m, n]` (any leading batch dimensions), factorises in
/// Float64 with LAPACK and rounds the results to Float32. Gradients follow PyTorch's
/// definitions (`torch/csrc/autograd/FunctionsManual.cpp`). Failures of a matrix (singular,
/// not positive definite, no convergence, NaN input) throw a ``LinalgError`` naming the op,
/// the matrix's batch index and LAPACK's `info`.
///
/// ```swift
/// let a = Tensor([4, 1, 1, 3], shape: [2, 2])
/// let x = try Linalg.solve(a, Tensor([1, 2], shape: [2]))      // [2]
/// let (u, s, vh) = try Linalg.svd(a)                            // [2, 2], [2], [2, 2]
/// let l = try Linalg.cholesky(a)                                // lower triangular
/// ```
///
/// **Degenerate spectra.** The gradients of `svd` (through `U` or `Vh`) and of `eigh` (through
/// the eigenvectors) divide by differences of singular values squared / eigenvalues. They are
/// defined only when those are distinct (and, for a non-square `svd`, nonzero); with repeated or
/// nearly repeated values the gradient is infinite or very large, as in PyTorch. Losses that depend
/// only on `s`, on eigenvalues, or on invariant subspaces of distinct values are safe.
public enum Linalg {}

extension Linalg {
    /// Size `n` of the square matrices of `a` `[…, n, n]`; stops (programmer error) otherwise.
    static func squareSize(_ a: Tensor, op: String) -> Int {
        precondition(a.rank >= 2 && a.shape[a.rank - 1] == a.shape[a.rank - 2] && a.shape[a.rank - 1] > 0,
                     "\(op): needs square matrices [..., n, n] with n ≥ 1, got shape \(a.shape)")
        return a.shape[a.rank - 1]
    }

    /// Checks `a` is `[…, m, n]` with m, n ≥ 1 and returns (m, n).
    static func matrixSize(_ a: Tensor, op: String) -> (m: Int, n: Int) {
        precondition(a.rank >= 2 && a.shape[a.rank - 1] > 0 && a.shape[a.rank - 2] > 0,
                     "\(op): needs matrices [..., m, n] with m, n ≥ 1, got shape \(a.shape)")
        return (a.shape[a.rank - 2], a.shape[a.rank - 1])
    }

    /// torch's rule for a right-hand side that is a vector: `b` is 1-D, or `b.shape` is
    /// `a.shape` without its last dimension.
    static func isVectorRightHandSide(_ a: Tensor, _ b: Tensor) -> Bool {
        b.rank == 1 || (b.rank == a.rank - 1 && b.shape == Array(a.shape.dropLast()))
    }

    /// `a` `[…, m, n]` and `b` `[…, p, q]` expanded (differentiably) to their common batch shape.
    static func broadcastBatch(_ a: Tensor, _ b: Tensor, op: String) -> (Tensor, Tensor) {
        let batch = Tensor.broadcastShapes(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: op)
        return (a.expand(to: batch + a.shape.suffix(2)), b.expand(to: batch + b.shape.suffix(2)))
    }

    /// Records one graph node for an op with several outputs and returns a view of each output.
    ///
    /// The outputs are packed into one flat tensor (the recorded node), and each returned output
    /// is a view of its part, so a loss may use any subset of them. `backward` receives one
    /// gradient per output, in order, with that output's shape (zeros for an output the loss does
    /// not use), and returns one gradient per input as in ``Tensor/record(op:inputs:output:backward:)``.
    static func recordOutputs(op: String, inputs: [Tensor], outputs: [Tensor],
                              backward: @escaping @Sendable ([Tensor]) -> [Tensor?]) -> [Tensor] {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return outputs }
        let shapes = outputs.map(\.shape)
        let counts = outputs.map(\.count)
        var flat: [Float] = []
        flat.reserveCapacity(counts.reduce(0, +))
        for output in outputs { flat += output.toArray() }
        let packed = Tensor.record(op: op, inputs: inputs, output: Tensor(flat, shape: [flat.count])) { g in
            var offset = 0
            var parts: [Tensor] = []
            for (shape, count) in zip(shapes, counts) {
                parts.append(g.narrow(axis: 0, start: offset, length: count).contiguous().reshape(shape))
                offset += count
            }
            return backward(parts)
        }
        var offset = 0
        var views: [Tensor] = []
        for (shape, count) in zip(shapes, counts) {
            views.append(packed.narrow(axis: 0, start: offset, length: count).reshape(shape))
            offset += count
        }
        return views
    }
}

// Graph-free helpers for the backward formulas (they run with grad mode off).
extension Tensor {
    /// The last two dimensions swapped (a view): torch's `mT`.
    var mT: Tensor { transposed(-2, -1) }

    /// Main diagonals `[…, min(m, n)]` of the matrices `[…, m, n]` (not recorded).
    func matrixDiagonal() -> Tensor {
        let m = shape[rank - 2], n = shape[rank - 1], k = Swift.min(m, n)
        let values = toArray()
        let batch = count / Swift.max(m * n, 1)
        var out = [Float](repeating: 0, count: batch * k)
        for b in 0..<batch { for i in 0..<k { out[b * k + i] = values[b * m * n + i * n + i] } }
        return Tensor(out, shape: Array(shape.dropLast(2)) + [k])
    }

    /// Square matrices `[…, k, k]` with this `[…, k]` on the diagonal (not recorded).
    func diagonalEmbedded() -> Tensor {
        let k = shape[rank - 1]
        let values = toArray()
        let batch = count / Swift.max(k, 1)
        var out = [Float](repeating: 0, count: batch * k * k)
        for b in 0..<batch { for i in 0..<k { out[b * k * k + i * k + i] = values[b * k + i] } }
        return Tensor(out, shape: shape + [k])
    }

    /// The lower (`lower`) or upper triangle of each matrix, from diagonal `diagonal` on
    /// (torch's `tril`/`triu` offsets), the rest zero: a product with a constant mask.
    func triangle(lower: Bool, diagonal: Int = 0) -> Tensor {
        let m = shape[rank - 2], n = shape[rank - 1]
        var mask = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n where lower ? (j - i <= diagonal) : (j - i >= diagonal) { mask[i * n + j] = 1 }
        }
        return self * Tensor(mask, shape: [m, n])
    }

    /// The `n × n` identity.
    static func identity(_ n: Int) -> Tensor {
        Tensor.ones([n]).diagonalEmbedded()
    }

    /// `E[…, j, k] = v[…, k] − v[…, j]` off the diagonal and 1 on it, for `v` `[…, k]`: the
    /// denominators of the svd / eigh backward formulas (not recorded).
    func pairwiseDifferences() -> Tensor {
        let k = shape[rank - 1]
        let values = toArray()
        let batch = count / Swift.max(k, 1)
        var out = [Float](repeating: 1, count: batch * k * k)
        for b in 0..<batch {
            for j in 0..<k { for l in 0..<k where j != l { out[b * k * k + j * k + l] = values[b * k + l] - values[b * k + j] } }
        }
        return Tensor(out, shape: shape + [k])
    }
}
