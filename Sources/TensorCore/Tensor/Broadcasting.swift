extension Tensor {
    /// The NumPy broadcast of two shapes (right-aligned; a dimension of 1 stretches).
    /// A mismatch is a programmer error: the message names `op` and both shapes.
    ///
    /// ```swift
    /// Tensor.broadcastShapes([8, 1, 4], [3, 1], op: "add")   // [8, 3, 4]
    /// ```
    public static func broadcastShapes(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        if a == b { return a }
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            check(da == db || da == 1 || db == 1,
                         "\(op): shapes \(a) and \(b) cannot be broadcast together")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Strides that read this tensor as if it had `target` shape (stride 0 on broadcast axes).
    func broadcastStrides(to target: [Int], op: String) -> [Int] {
        check(target.count >= rank, "\(op): cannot broadcast shape \(shape) to \(target)")
        var result = [Int](repeating: 0, count: target.count)
        let lead = target.count - rank
        for axis in 0..<rank {
            let n = shape[axis]
            check(n == target[lead + axis] || n == 1,
                         "\(op): cannot broadcast shape \(shape) to \(target)")
            result[lead + axis] = n == 1 ? 0 : strides[axis]
        }
        return result
    }

    /// Resolves a shape that may contain one `-1` against an element count.
    static func resolveShape(_ shape: [Int], count: Int, op: String) -> [Int] {
        var result = shape
        let inferred = shape.indices.filter { shape[$0] == -1 }
        check(inferred.count <= 1, "\(op): more than one -1 in \(shape)")
        let known = shape.filter { $0 != -1 }.reduce(1, *)
        if let axis = inferred.first {
            check(known > 0 && count % known == 0, "\(op): cannot reshape \(count) elements to \(shape)")
            result[axis] = count / known
        }
        check(result.allSatisfy { $0 >= 0 } && result.reduce(1, *) == count,
                     "\(op): cannot reshape \(count) elements to \(shape)")
        return result
    }
}
