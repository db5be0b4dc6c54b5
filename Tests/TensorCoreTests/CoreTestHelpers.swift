import Testing
import TensorCore

/// Expects `actual` to match `expected` elementwise within `tolerance · (1 + |expected|)`;
/// on failure reports the largest difference and where.
func expectClose(_ actual: Tensor, _ expected: [Double], shape: [Int]? = nil, tolerance: Double = 1e-5,
                 _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    if let shape {
        #expect(actual.shape == shape, "shape \(actual.shape) ≠ \(shape) \(comment)", sourceLocation: sourceLocation)
    }
    let values = actual.toArray()
    #expect(values.count == expected.count, "count \(values.count) ≠ \(expected.count) \(comment)", sourceLocation: sourceLocation)
    guard values.count == expected.count else { return }
    var worst = 0.0, worstIndex = -1
    for i in 0..<values.count {
        let err = abs(Double(values[i]) - expected[i]) / (1 + abs(expected[i]))
        if err > worst || (err.isNaN && !expected[i].isNaN) { worst = err.isNaN ? .infinity : err; worstIndex = i }
        if values[i].isNaN != expected[i].isNaN { worst = .infinity; worstIndex = i }
    }
    #expect(worst <= tolerance,
            "max scaled error \(worst) at \(worstIndex): \(worstIndex >= 0 ? Double(values[worstIndex]) : 0) vs \(worstIndex >= 0 ? expected[worstIndex] : 0) \(comment)",
            sourceLocation: sourceLocation)
}

/// Row-major multi-index of a flat position.
func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}

/// Element of `values` (row-major for `shape`) read at `index` broadcast into `shape`.
func broadcastRead(_ values: [Float], shape: [Int], at index: [Int]) -> Double {
    let lead = index.count - shape.count
    var flat = 0
    for d in 0..<shape.count {
        let i = shape[d] == 1 ? 0 : index[lead + d]
        flat = flat * shape[d] + i
    }
    return Double(values[flat])
}

/// Asserts a gradient check passes, printing the worst element on failure.
func expectGradient(_ f: ([Tensor]) -> Tensor, _ inputs: [Tensor], epsilon: Float = 1e-2,
                    tolerance: Float = 1e-2, sourceLocation: SourceLocation = #_sourceLocation) {
    let result = gradientCheck(f, inputs: inputs, epsilon: epsilon, tolerance: tolerance)
    #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
}

/// Naive Float64 matrix product of row-major `a` [m, k] and `b` [k, n].
func naiveMatmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
        c[i * n + j] = s
    } }
    return c
}
