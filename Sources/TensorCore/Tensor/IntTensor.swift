/// An integer tensor for token ids, labels and indices: contiguous row-major `values`.
///
/// ```swift
/// let ids = IntTensor([101, 7592, 102], shape: [1, 3])
/// let labels = IntTensor([1, -100, 0], shape: [3])
/// ```
public struct IntTensor: Sendable, Equatable, CustomStringConvertible {
    /// Size of each dimension.
    public var shape: [Int]
    /// Elements in row-major order.
    public var values: [Int]

    /// A tensor over `values` (their count must equal the product of `shape`).
    public init(_ values: [Int], shape: [Int]) {
        check(values.count == shape.reduce(1, *),
                     "IntTensor.init: \(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// A tensor with every element equal to `value`.
    public init(shape: [Int], repeating value: Int) {
        self.init([Int](repeating: value, count: shape.reduce(1, *)), shape: shape)
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { values.count }

    /// Element at a full row-major index.
    public subscript(_ indices: Int...) -> Int {
        get { values[flatIndex(indices)] }
        set { values[flatIndex(indices)] = newValue }
    }

    /// Same values viewed with another shape (one dimension may be -1).
    public func reshaped(_ newShape: [Int]) -> IntTensor {
        IntTensor(values, shape: Tensor.resolveShape(newShape, count: count, op: "IntTensor.reshaped"))
    }

    /// The values as Float32.
    public func toFloat() -> Tensor {
        Tensor(values.map { Float($0) }, shape: shape)
    }

    public var description: String {
        let shown = values.prefix(8).map(String.init).joined(separator: ", ")
        return "IntTensor(\(shape)) [\(shown)\(count > 8 ? ", … (\(count) elements)" : "")]"
    }

    private func flatIndex(_ indices: [Int]) -> Int {
        check(indices.count == shape.count, "IntTensor.subscript: \(indices.count) indices for shape \(shape)")
        var flat = 0
        for (axis, index) in indices.enumerated() {
            check(index >= 0 && index < shape[axis], "IntTensor.subscript: index \(indices) out of bounds for shape \(shape)")
            flat = flat * shape[axis] + index
        }
        return flat
    }
}
