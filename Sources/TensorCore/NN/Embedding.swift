/// A lookup table of `count` vectors of size `dimension`, as `torch.nn.Embedding`.
///
/// The weight is `[count, dimension]` (Hugging Face layout: `embeddings.word_embeddings.weight`).
/// The row `paddingIndex`, if any, starts at zero and never receives a gradient.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let words = Embedding(count: 30522, dimension: 768, paddingIndex: 0,
///                       initialization: .normal(std: 0.02), generator: &rng)
/// let h = words(ids)                     // ids [B, T] → [B, T, 768]
/// words.namedParameters().map(\.0)       // ["weight"]
/// ```
public final class Embedding: Module {
    /// How to draw the initial table.
    public enum Initialization: Sendable {
        /// N(0, std²); PyTorch's default is std = 1, Hugging Face BERT uses 0.02.
        case normal(std: Float)
        /// N(0, std²) truncated at ±2·std (original TF BERT).
        case truncatedNormal(std: Float)
    }

    /// `[count, dimension]`.
    public let weight: Parameter
    /// The row that gets no gradient (and starts at zero), if any.
    public let paddingIndex: Int?
    public let count: Int
    public let dimension: Int
    public var children: [ModuleChild] { [.init("weight", weight)] }

    /// A table with freshly drawn rows (the padding row zeroed).
    /// - Parameters:
    ///   - count: number of rows (vocabulary size).
    ///   - dimension: size of each vector.
    ///   - paddingIndex: a row kept at zero that receives no gradient.
    ///   - initialization: default `.normal(std: 1)`, as `torch.nn.Embedding`.
    ///   - generator: the random stream to draw from.
    public init(count: Int, dimension: Int, paddingIndex: Int? = nil,
                initialization: Initialization = .normal(std: 1), generator: inout RandomGenerator) {
        precondition(count > 0 && dimension > 0,
                     "Embedding: count and dimension must be positive, got \(count) × \(dimension)")
        if let paddingIndex {
            precondition(paddingIndex >= 0 && paddingIndex < count,
                         "Embedding: paddingIndex \(paddingIndex) out of range 0..<\(count)")
        }
        var table: Tensor
        switch initialization {
        case .normal(let std):
            table = Tensor.normal([count, dimension], mean: 0, std: std, generator: &generator)
        case .truncatedNormal(let std):
            table = Tensor.truncatedNormal([count, dimension], mean: 0, std: std, generator: &generator)
        }
        if let paddingIndex {
            table.withUnsafeMutableBufferPointer { buffer in
                for i in 0..<dimension { buffer[paddingIndex * dimension + i] = 0 }
            }
        }
        self.weight = Parameter(table, name: "weight")
        self.paddingIndex = paddingIndex
        self.count = count
        self.dimension = dimension
    }

    /// A table around an existing parameter (e.g. loaded from a checkpoint); its padding row
    /// is used as is.
    public init(weight: Parameter, paddingIndex: Int? = nil) {
        precondition(weight.shape.count == 2, "Embedding: weight must be [count, dimension], got \(weight.shape)")
        if let paddingIndex {
            precondition(paddingIndex >= 0 && paddingIndex < weight.shape[0],
                         "Embedding: paddingIndex \(paddingIndex) out of range for weight \(weight.shape)")
        }
        self.weight = weight
        self.paddingIndex = paddingIndex
        self.count = weight.shape[0]
        self.dimension = weight.shape[1]
    }

    /// The vectors of `ids` (any shape, values in `0..<count`): `ids.shape + [dimension]`.
    public func callAsFunction(_ ids: IntTensor) -> Tensor {
        embedding(weight: weight.value, indices: ids, paddingIndex: paddingIndex)
    }
}
