/// Whitening of vectors (e.g. sentence embeddings) from their sample covariance via ``Linalg/svd(_:)``,
/// as in BERT-whitening (Su et al. 2021, "Whitening Sentence Representations for Better Semantics
/// and Faster Retrieval"): `x ↦ (x − μ) W`, `W = U_k diag(1/√s_k)` where `Σ = U diag(s) Uᵀ` is the
/// covariance of the fitted vectors. The whitened vectors have zero mean and identity covariance
/// over the first `k` principal directions, which removes the common direction that makes all
/// cosine similarities of a transformer's embeddings high (anisotropy); keeping `k < d`
/// components also reduces the dimension.
///
/// ```swift
/// let embeddings = Tensor(vectors.flatMap { $0 }, shape: [vectors.count, 384])   // [N, d]
/// let whitening = try Whitening(fitting: embeddings, components: 128)
/// let whitened = whitening(embeddings)                                             // [N, 128]
/// ```
public struct Whitening: Sendable {
    /// Mean of the fitted vectors, `[d]`.
    public let mean: Tensor
    /// `W = U_k diag(1/√s_k)`, `[d, k]`.
    public let transform: Tensor
    /// The covariance's singular values (= eigenvalues), descending, `[d]`.
    public let spectrum: Tensor

    /// Fits the whitening on `vectors` `[N, d]`.
    /// - Parameters:
    ///   - vectors: the sample, one vector per row (N ≥ 2).
    ///   - components: principal directions kept, `k`; default `min(d, N − 1)` (the covariance of
    ///     N vectors has rank at most N − 1, and directions past it would divide by zero).
    /// - Throws: ``LinalgError`` when the SVD fails (e.g. NaN in `vectors`).
    public init(fitting vectors: Tensor, components: Int? = nil) throws(LinalgError) {
        precondition(vectors.rank == 2 && vectors.shape[0] >= 2,
                     "Whitening: needs vectors [N, d] with N ≥ 2, got shape \(vectors.shape)")
        let count = vectors.shape[0], dimension = vectors.shape[1]
        let k = components ?? Swift.min(dimension, count - 1)
        precondition(k >= 1 && k <= dimension, "Whitening: components \(k) must be in 1...\(dimension)")
        let mean = vectors.mean(axis: 0)                                       // [d]
        let centered = vectors - mean                                          // [N, d]
        let covariance = centered.transposed().matmul(centered) / Float(count) // [d, d]
        let (u, s, _) = try Linalg.svd(covariance)                             // [d, d], [d]
        let scale = s.narrow(axis: 0, start: 0, length: k).rsqrt()            // [k]
        self.mean = mean
        self.transform = u.narrow(axis: 1, start: 0, length: k) * scale        // [d, k]
        self.spectrum = s
    }

    /// Whitens `x` `[…, d]` → `[…, k]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        (x - mean).matmul(transform)
    }
}
