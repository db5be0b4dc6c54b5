/// `Tensor` / `IntTensor` reading and writing on top of ``SafetensorsFile`` and
/// ``SafetensorsWriter``.
extension SafetensorsFile {
    /// Tensor `name` converted to a contiguous Float32 ``Tensor`` (from `F32`, `F16`, `BF16`,
    /// `F64` or an integer dtype).
    ///
    /// ```swift
    /// let w = try SafetensorsFile(path: "model.safetensors").tensor("pooler.dense.weight")
    /// ```
    ///
    /// - Throws: ``SafetensorsError/tensorNotFound(path:tensor:)``,
    ///   ``SafetensorsError/dtypeMismatch(path:tensor:dtype:requested:)``.
    public func tensor(_ name: String) throws(SafetensorsError) -> Tensor {
        let info = try info(name)
        guard info.dtype.isReadableAsFloat else {
            throw .dtypeMismatch(path: path, tensor: name, dtype: info.dtype.rawValue, requested: "Float")
        }
        let result = Tensor.empty(info.shape)
        try readFloats(name, into: result.baseAddress)
        return result
    }

    /// Tensor `name` as an ``IntTensor`` (from `I64`, `I32`, `I16`, `I8`, `U32`, `U16`, `U8`,
    /// `BOOL`).
    ///
    /// - Throws: ``SafetensorsError/dtypeMismatch(path:tensor:dtype:requested:)`` for float data.
    public func intTensor(_ name: String) throws(SafetensorsError) -> IntTensor {
        let info = try info(name)
        return IntTensor(try ints(name), shape: info.shape)
    }

    /// Every tensor readable as Float, by name.
    public func tensors() throws(SafetensorsError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for info in tensorInfos where info.dtype.isReadableAsFloat {
            result[info.name] = try tensor(info.name)
        }
        return result
    }
}

extension SafetensorsWriter {
    /// Adds `tensor` as `F32` (a strided tensor is made contiguous first; the data is read when
    /// the file is written).
    public mutating func add(_ name: String, _ tensor: Tensor) {
        let contiguous = tensor.contiguous().detached()
        add(name, pointer: UnsafePointer(contiguous.baseAddress), shape: contiguous.shape,
            owner: contiguous.storage)
    }

    /// Adds `tensor` as `I64`.
    public mutating func add(_ name: String, _ tensor: IntTensor) {
        add(name, ints: tensor.values, shape: tensor.shape)
    }
}

/// One-call save and load of named tensors in safetensors format.
public enum Safetensors {
    /// Writes `tensors` (`F32`) and `intTensors` (`I64`) with optional `__metadata__` to `path`,
    /// atomically.
    ///
    /// ```swift
    /// try Safetensors.save(["w": weight], metadata: ["format": "pt"], to: "w.safetensors")
    /// ```
    public static func save(_ tensors: [String: Tensor], intTensors: [String: IntTensor] = [:],
                            metadata: [String: String] = [:], to path: String) throws(SafetensorsError) {
        var writer = SafetensorsWriter(metadata: metadata)
        for (name, tensor) in tensors { writer.add(name, tensor) }
        for (name, tensor) in intTensors { writer.add(name, tensor) }
        try writer.write(to: path)
    }

    /// Reads every Float-readable tensor of `path`.
    public static func load(_ path: String) throws(SafetensorsError) -> [String: Tensor] {
        try SafetensorsFile(path: path).tensors()
    }
}
