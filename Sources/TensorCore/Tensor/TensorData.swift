import CKernels

extension Tensor {
    /// The elements in row-major order.
    public func toArray() -> [Float] {
        let source = contiguousValues()
        return Array(UnsafeBufferPointer(start: source.baseAddress, count: source.count))
    }

    /// The only element of a one-element tensor.
    public var item: Float {
        check(count == 1, "Tensor.item: tensor of shape \(shape) has \(count) elements, not 1")
        return baseAddress[0]
    }

    /// Reads the elements as one contiguous buffer (copies first only if the layout is strided).
    ///
    /// ```swift
    /// let total = t.withUnsafeBufferPointer { $0.reduce(0, +) }
    /// ```
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let source = contiguousValues()
        return try body(UnsafeBufferPointer(start: source.baseAddress, count: source.count))
    }

    /// Writes the elements in place as one contiguous buffer. Copies first when the storage is
    /// shared with another tensor (copy-on-write) or the layout is strided; afterwards this tensor
    /// is contiguous and owns its storage.
    ///
    /// Refused (precondition) for the output of a recorded op: its value may be needed by
    /// backward. Parameter values (graph leaves) may be written, e.g. by optimizers.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        prepareForWrite(op: "withUnsafeMutableBufferPointer", needContiguous: true)
        var buffer = UnsafeMutableBufferPointer(start: baseAddress, count: count)
        return try body(&buffer)
    }

    /// Element at a full index (negative indices are not accepted). Setting goes through
    /// copy-on-write and is refused for the output of a recorded op.
    public subscript(_ indices: Int...) -> Float {
        get { baseAddress[elementOffset(indices, op: "subscript")] }
        set {
            prepareForWrite(op: "subscript set", needContiguous: false)
            baseAddress[elementOffset(indices, op: "subscript set")] = newValue
        }
    }

    /// Overwrites every element with `other`'s (broadcast to this shape), keeping this layout's
    /// shape. Copy-on-write rules as for ``withUnsafeMutableBufferPointer(_:)``.
    public mutating func assign(_ other: Tensor) {
        prepareForWrite(op: "assign", needContiguous: true)
        let source = other.detached().expand(to: shape)
        ElementwiseKernel.unary(TC_COPY, source, into: self)
    }

    func elementOffset(_ indices: [Int], op: String) -> Int {
        check(indices.count == rank, "Tensor.\(op): \(indices.count) indices for shape \(shape)")
        var result = 0
        for (axis, index) in indices.enumerated() {
            check(index >= 0 && index < shape[axis],
                         "Tensor.\(op): index \(indices) out of bounds for shape \(shape)")
            result += index * strides[axis]
        }
        return result
    }

    /// Makes the storage uniquely owned (and contiguous when asked) before an in-place write.
    mutating func prepareForWrite(op: String, needContiguous: Bool) {
        if let node, !node.isLeaf {
            checkFailure("Tensor.\(op): refusing to write into the output of recorded op '\(node.op)' (shape \(shape)); call detached() first or compute under withNoGrad")
        }
        let hasBroadcast = zip(shape, strides).contains { $0 > 1 && $1 == 0 }
        if isKnownUniquelyReferenced(&storage) && !hasBroadcast && (!needContiguous || isContiguous) {
            return
        }
        let copy = Tensor.empty(shape)
        ElementwiseKernel.unary(TC_COPY, self.detached(), into: copy)
        storage = copy.storage
        strides = copy.strides
        offset = 0
    }

    /// This tensor if contiguous, else a contiguous copy (no graph recording).
    func contiguousValues() -> Tensor {
        if isContiguous { return self }
        let copy = Tensor.empty(shape)
        ElementwiseKernel.unary(TC_COPY, self.detached(), into: copy)
        return copy
    }
}

extension Tensor: CustomStringConvertible {
    /// `Tensor([2, 3]) [v0, v1, …]` with at most 8 values, and a `requiresGrad` marker.
    public var description: String {
        let limit = 8
        let values = count <= limit ? toArray() : Array(self.reshape([-1]).detached().narrow(axis: 0, start: 0, length: limit).toArray())
        var text = "Tensor(\(shape)) [" + values.map { "\($0)" }.joined(separator: ", ")
        if count > limit { text += ", … (\(count) elements)" }
        text += "]"
        if requiresGrad { text += " requiresGrad" }
        return text
    }
}
