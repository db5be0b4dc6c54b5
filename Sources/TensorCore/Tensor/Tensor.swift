/// An n-dimensional Float32 array with value semantics and reverse-mode autodiff.
///
/// A tensor is a layout (`shape`, element `strides`, `offset`) over a shared ``TensorStorage``.
/// Views (reshape of a contiguous tensor, `permute`, `transposed`, `slice`, `expand`) share
/// storage; writes go through copy-on-write, so views never alias observable data. A tensor that
/// is the output of a recorded op carries a graph node (see ``requiresGrad``) and refuses
/// in-place writes.
///
/// ```swift
/// let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// let b = a.transposed(0, 1)          // [3, 2] view, no copy
/// let c = a.matmul(b)                 // [2, 2]
/// print(c)                            // Tensor([2, 2]) [14.0, 32.0, 32.0, 77.0]
/// ```
public struct Tensor: @unchecked Sendable {
    /// Size of each dimension (empty for a scalar).
    public internal(set) var shape: [Int]
    /// Element stride of each dimension (0 for a broadcast dimension).
    public internal(set) var strides: [Int]
    /// Index of element `[0, 0, …]` in `storage`.
    public internal(set) var offset: Int
    /// The memory this tensor views.
    public internal(set) var storage: TensorStorage
    /// Graph node when this tensor takes part in autodiff (output of a recorded op or a
    /// parameter's value).
    var node: GradNode?

    /// A view of `storage` with an explicit layout.
    public init(shape: [Int], strides: [Int], offset: Int, storage: TensorStorage) {
        check(shape.count == strides.count,
                     "Tensor.init: shape \(shape) and strides \(strides) differ in rank")
        check(shape.allSatisfy { $0 >= 0 }, "Tensor.init: negative dimension in \(shape)")
        if shape.allSatisfy({ $0 > 0 }) {
            var lastIndex = offset
            for (size, stride) in zip(shape, strides) {
                check(stride >= 0, "Tensor.init: negative stride in \(strides)")
                lastIndex += (size - 1) * stride
            }
            check(offset >= 0 && lastIndex < storage.count,
                         "Tensor.init: layout shape \(shape) strides \(strides) offset \(offset) exceeds storage of \(storage.count)")
        }
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.storage = storage
        self.node = nil
    }

    /// A contiguous row-major tensor over `storage`, starting at element 0.
    public init(shape: [Int], storage: TensorStorage) {
        self.init(shape: shape, strides: Tensor.contiguousStrides(for: shape), offset: 0, storage: storage)
    }

    /// A contiguous tensor holding a copy of `values` (`values.count` must equal the product of
    /// `shape`).
    public init(_ values: [Float], shape: [Int]) {
        let count = shape.reduce(1, *)
        check(values.count == count,
                     "Tensor.init: \(values.count) values do not fill shape \(shape) (\(count) elements)")
        let storage = values.withUnsafeBufferPointer { TensorStorage(copying: $0) }
        self.init(shape: shape, storage: storage)
    }

    /// A scalar (rank 0) tensor.
    public init(_ value: Float) {
        self.init([value], shape: [])
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Number of elements (product of `shape`; 1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// True when the elements are laid out row-major without gaps (size-1 dimensions ignored).
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// True when this tensor takes part in autodiff: it is a parameter's value or the output of
    /// a recorded op with such an input.
    public var requiresGrad: Bool { node != nil }

    /// The same values without a graph node: gradients do not flow through the result.
    public func detached() -> Tensor {
        var copy = self
        copy.node = nil
        return copy
    }

    /// Row-major strides for `shape`.
    public static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= Swift.max(shape[axis], 1)
        }
        return strides
    }

    /// Pointer to element `[0, 0, …]` (read only by convention; use the mutating accessors to
    /// write).
    public var baseAddress: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// Normalises a possibly negative axis (`-1` = last) against `rank`.
    func normalizedAxis(_ axis: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        check(a >= 0 && a < rank, "\(op): axis \(axis) out of range for shape \(shape)")
        return a
    }
}
