import CKernels

extension Tensor {
    /// An uninitialised contiguous tensor whose memory comes from the buffer pool. Every element
    /// must be written before it is read.
    ///
    /// ```swift
    /// var out = Tensor.empty([B, N])
    /// ```
    public static func empty(_ shape: [Int]) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "Tensor.empty: negative dimension in \(shape)")
        return Tensor(shape: shape, storage: TensorStorage(count: shape.reduce(1, *)))
    }

    /// A tensor filled with `value`.
    ///
    /// ```swift
    /// let mask = Tensor.full([2, 4], value: -1e4)
    /// ```
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        let t = empty(shape)
        ck_fill(t.baseAddress, value, Int64(t.count))
        return t
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, value: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, value: 1) }

    /// `[start, start + step, …]` up to but excluding `end`, as a 1-D tensor.
    ///
    /// ```swift
    /// Tensor.arange(0, 5)          // [0, 1, 2, 3, 4]
    /// Tensor.arange(1, 2, step: 0.25)
    /// ```
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
        check(step != 0, "Tensor.arange: step must not be 0")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let t = empty([n])
        for i in 0..<n { t.baseAddress[i] = start + Float(i) * step }
        return t
    }

    /// `[0, 1, …, count - 1]` as a 1-D tensor.
    public static func arange(_ count: Int) -> Tensor { arange(0, Float(count)) }

    /// Independent uniform samples in `[low, high)`.
    ///
    /// ```swift
    /// var rng = RandomGenerator(seed: 42)
    /// let w = Tensor.uniform([768, 768], low: -0.1, high: 0.1, generator: &rng)
    /// ```
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout RandomGenerator) -> Tensor {
        let t = empty(shape)
        let p = t.baseAddress
        let width = high - low
        for i in 0..<t.count { p[i] = low + width * generator.nextFloat() }
        return t
    }

    /// Independent normal samples `N(mean, std²)` (Box–Muller).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              generator: inout RandomGenerator) -> Tensor {
        let t = empty(shape)
        let p = t.baseAddress
        for i in 0..<t.count { p[i] = mean + std * generator.nextNormal() }
        return t
    }

    /// Normal samples redrawn until they fall within `mean ± 2·std` (TensorFlow's
    /// `truncated_normal`, what the original BERT uses to initialise weights).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                       generator: inout RandomGenerator) -> Tensor {
        let t = empty(shape)
        let p = t.baseAddress
        for i in 0..<t.count {
            var z = generator.nextNormal()
            while Swift.abs(z) > 2 { z = generator.nextNormal() }
            p[i] = mean + std * z
        }
        return t
    }

    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }
}
