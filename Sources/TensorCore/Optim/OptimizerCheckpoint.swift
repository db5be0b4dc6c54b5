import Foundation

/// Why optimizer state could not be saved or loaded.
public enum OptimizerStateError: Error, CustomStringConvertible, Sendable {
    /// Reading or writing the safetensors file failed.
    case file(SafetensorsError)
    /// Two parameters share a name, so their state could not be told apart. No longer thrown:
    /// repeated names are keyed by position (kept for source compatibility).
    case duplicateParameterName(path: String, name: String)
    /// The file is a safetensors file but not optimizer state, or its metadata is damaged.
    case invalidMetadata(path: String, detail: String)
    /// The file holds the state of another optimizer.
    case kindMismatch(path: String, expected: String, found: String)
    /// A hyperparameter (β, ε, momentum…) differs from the optimizer's.
    case hyperparameterMismatch(path: String, name: String, expected: Double, found: Double)
    /// The groups or parameter names differ from the optimizer's.
    case groupMismatch(path: String, detail: String)
    /// A saved buffer does not have the parameter's element count, or is missing.
    case bufferMismatch(path: String, parameter: String, buffer: String, detail: String)

    public var description: String {
        switch self {
        case let .file(error): return error.description
        case let .duplicateParameterName(path, name):
            return "\(path): parameter name \"\(name)\" is used more than once; optimizer state is keyed by name"
        case let .invalidMetadata(path, detail): return "\(path): not valid optimizer state: \(detail)"
        case let .kindMismatch(path, expected, found):
            return "\(path): holds \(found) state, cannot load it into \(expected)"
        case let .hyperparameterMismatch(path, name, expected, found):
            return "\(path): hyperparameter \(name) is \(found) in the file but \(expected) in the optimizer"
        case let .groupMismatch(path, detail): return "\(path): parameter groups differ: \(detail)"
        case let .bufferMismatch(path, parameter, buffer, detail):
            return "\(path): state \"\(buffer)\" of parameter \"\(parameter)\": \(detail)"
        }
    }
}

/// The JSON stored in the `optimizer_state` metadata entry.
private struct SavedOptimizer: Codable {
    struct Group: Codable {
        var names: [String]
        var learningRate: Double
        var baseLearningRate: Double
        var weightDecay: Double
    }
    struct Slot: Codable {
        var step: Int
        var buffers: [String]
    }
    var version: Int
    var kind: String
    var stepCount: Int
    var hyperparameters: [String: Double]
    var groups: [Group]
    /// Per parameter name: its step count and the names of its buffers (tensors
    /// `"<parameter>/<buffer>"` in the file). Parameters without state are absent.
    var parameters: [String: Slot]
}

extension Optimizer {
    /// Each parameter with the key its state is saved under: its name when no other parameter
    /// of the optimizer has it, else `name#k` for the k-th parameter of that name (0-based, in
    /// group order). Parameters gathered from several modules (`fc1.parameters() +
    /// fc2.parameters()`, all named `weight`/`bias`) are thus told apart by position, while the
    /// saved group name lists still check that the same parameters come in the same order.
    var stateKeys: [(String, Parameter)] {
        let named = namedParameters
        var total: [String: Int] = [:]
        for (name, _) in named { total[name, default: 0] += 1 }
        var seen: [String: Int] = [:]
        return named.map { name, parameter in
            guard total[name]! > 1 else { return (name, parameter) }
            let k = seen[name, default: 0]
            seen[name] = k + 1
            return ("\(name)#\(k)", parameter)
        }
    }

    /// Saves the optimizer's state — step counts, moment buffers (keyed by parameter name, or
    /// by name and position where names repeat: see `stateKeys`),
    /// group learning rates and weight decays, hyperparameters — as one safetensors file whose
    /// `__metadata__` holds the JSON description. Written atomically; training resumed with
    /// ``loadState(from:)`` continues bit for bit.
    ///
    /// ```swift
    /// try optimizer.saveState(to: "run/optimizer.safetensors")
    /// ```
    ///
    /// - Throws: ``OptimizerStateError``.
    public func saveState(to path: String) throws(OptimizerStateError) {
        var writer = SafetensorsWriter()
        var slots: [String: SavedOptimizer.Slot] = [:]
        for (name, parameter) in stateKeys {
            guard let parameterState = state.existingState(for: parameter) else { continue }
            let bufferNames = parameterState.buffers.keys.sorted()
            for bufferName in bufferNames {
                let buffer = parameterState.buffers[bufferName]!
                writer.add("\(name)/\(bufferName)", pointer: UnsafePointer(buffer.pointer), shape: [buffer.count],
                           owner: buffer)
            }
            slots[name] = SavedOptimizer.Slot(step: parameterState.step, buffers: bufferNames)
        }
        let saved = SavedOptimizer(
            version: 1, kind: kind, stepCount: stepCount, hyperparameters: hyperparameters,
            groups: parameterGroups.map {
                SavedOptimizer.Group(names: $0.names, learningRate: $0.learningRate,
                                     baseLearningRate: $0.baseLearningRate, weightDecay: $0.weightDecay)
            },
            parameters: slots)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(saved) else {
            throw .invalidMetadata(path: path, detail: "could not encode the state description (non-finite value?)")
        }
        writer.metadata = ["format": "optimizer", "optimizer_state": String(decoding: json, as: UTF8.self)]
        do {
            try writer.write(to: path)
        } catch {
            throw .file(error)
        }
    }

    /// Restores state saved by ``saveState(to:)`` into this optimizer, which must be of the same
    /// kind and hyperparameters and have the same groups of parameter names (in order).
    /// Group learning rates and weight decays are restored too (as `torch`'s
    /// `load_state_dict` does). Nothing is changed if loading fails.
    ///
    /// - Throws: ``OptimizerStateError`` naming the file and the mismatch.
    public func loadState(from path: String) throws(OptimizerStateError) {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: path) } catch { throw .file(error) }
        guard let json = file.metadata["optimizer_state"] else {
            throw .invalidMetadata(path: path, detail: "no \"optimizer_state\" metadata entry")
        }
        let saved: SavedOptimizer
        do {
            saved = try JSONDecoder().decode(SavedOptimizer.self, from: Data(json.utf8))
        } catch {
            throw .invalidMetadata(path: path, detail: "\(error)")
        }
        guard saved.version == 1 else { throw .invalidMetadata(path: path, detail: "unknown version \(saved.version)") }
        guard saved.kind == kind else { throw .kindMismatch(path: path, expected: kind, found: saved.kind) }
        for (name, value) in hyperparameters.sorted(by: { $0.key < $1.key }) {
            let found = saved.hyperparameters[name]
            guard found == value else {
                throw .hyperparameterMismatch(path: path, name: name, expected: value, found: found ?? .nan)
            }
        }
        guard saved.groups.count == parameterGroups.count else {
            throw .groupMismatch(path: path, detail: "\(saved.groups.count) groups saved, optimizer has \(parameterGroups.count)")
        }
        for (index, (savedGroup, group)) in zip(saved.groups, parameterGroups).enumerated()
        where savedGroup.names != group.names {
            let missing = Set(group.names).subtracting(savedGroup.names).sorted()
            let unexpected = Set(savedGroup.names).subtracting(group.names).sorted()
            throw .groupMismatch(path: path, detail: "group \(index): missing \(missing), unexpected \(unexpected)"
                                    + (missing.isEmpty && unexpected.isEmpty ? ", different order" : ""))
        }
        // Read everything first, so a failure leaves the optimizer untouched.
        var restored: [(Parameter, ParameterState?)] = []
        for (name, parameter) in stateKeys {
            guard let slot = saved.parameters[name] else {
                restored.append((parameter, nil))
                continue
            }
            let count = parameter.value.count
            let parameterState = ParameterState(step: slot.step)
            for bufferName in slot.buffers {
                let key = "\(name)/\(bufferName)"
                guard let info = try? file.info(key) else {
                    throw .bufferMismatch(path: path, parameter: name, buffer: bufferName, detail: "missing from the file")
                }
                guard info.dtype == .float32, info.elementCount == count else {
                    throw .bufferMismatch(path: path, parameter: name, buffer: bufferName,
                                          detail: "\(info.dtype.rawValue) \(info.shape) in the file, parameter has \(count) elements")
                }
                let buffer = OptimizerBuffer(count: count)
                do { try file.readFloats(key, into: buffer.pointer) } catch { throw .file(error) }
                parameterState.buffers[bufferName] = buffer
            }
            restored.append((parameter, parameterState))
        }
        for (parameter, parameterState) in restored { state.setState(parameterState, for: parameter) }
        for (i, savedGroup) in saved.groups.enumerated() {
            parameterGroups[i].learningRate = savedGroup.learningRate
            parameterGroups[i].baseLearningRate = savedGroup.baseLearningRate
            parameterGroups[i].weightDecay = savedGroup.weightDecay
        }
        stepCount = saved.stepCount
    }
}
