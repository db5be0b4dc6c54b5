/// A zero-initialised, 64-byte aligned block of `Float`s owned by optimizer state (moment
/// buffers). Optimizer kernels read and write it through `pointer`.
public final class OptimizerBuffer: @unchecked Sendable {
    /// Start of the buffer.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int

    /// Allocates `count` zeros.
    public init(count: Int) {
        check(count >= 0, "OptimizerBuffer: negative count \(count)")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        self.count = count
    }

    /// Allocates a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }

    /// The values as an array (a copy).
    public func toArray() -> [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// What an optimizer remembers about one parameter: how many updates it has received and its
/// named buffers (`exp_avg`, `exp_avg_sq`, `momentum_buffer`, as PyTorch names them).
public final class ParameterState: @unchecked Sendable {
    /// Number of updates applied to this parameter (PyTorch's per-parameter `step`): parameters
    /// skipped because their gradient was nil do not count.
    public var step: Int
    /// Buffers by name.
    public var buffers: [String: OptimizerBuffer]

    /// A state with `step` updates and the given buffers.
    public init(step: Int = 0, buffers: [String: OptimizerBuffer] = [:]) {
        self.step = step
        self.buffers = buffers
    }

    /// The buffer `name`, created as `count` zeros on first use.
    public func buffer(_ name: String, count: Int) -> OptimizerBuffer {
        if let existing = buffers[name] {
            check(existing.count == count,
                         "ParameterState: buffer \(name) has \(existing.count) elements, parameter has \(count)")
            return existing
        }
        let created = OptimizerBuffer(count: count)
        buffers[name] = created
        return created
    }
}

/// Per-parameter optimizer state, keyed by parameter identity.
///
/// Buffers are separate allocations today; the layout (one `(pointer, count)` range per
/// parameter, updated in one pass) is what a later contiguous arena would hand out too.
public final class OptimizerStateStore: @unchecked Sendable {
    private var states: [ObjectIdentifier: ParameterState] = [:]

    /// An empty store.
    public init() {}

    /// The state of `parameter`, created empty on first use.
    public func state(for parameter: Parameter) -> ParameterState {
        let key = ObjectIdentifier(parameter)
        if let existing = states[key] { return existing }
        let created = ParameterState()
        states[key] = created
        return created
    }

    /// The state of `parameter` if it has one.
    public func existingState(for parameter: Parameter) -> ParameterState? {
        states[ObjectIdentifier(parameter)]
    }

    /// Replaces the state of `parameter`.
    public func setState(_ state: ParameterState?, for parameter: Parameter) {
        states[ObjectIdentifier(parameter)] = state
    }

    /// Forgets everything.
    public func removeAll() { states.removeAll() }
}
