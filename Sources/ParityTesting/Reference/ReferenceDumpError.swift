/// Why a reference dump could not be used: what was wrong and in which file.
public enum ReferenceDumpError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file is missing or is not valid safetensors.
    case unreadable(path: String, reason: String)
    /// The file is safetensors but not a dump written by `Scripts/dump_reference.py`
    /// (`__metadata__.format` is absent or of another version).
    case notAReferenceDump(path: String, format: String?)
    /// A key the comparison needs is absent (for example `label.labels` for a classifier).
    case missingKey(path: String, key: String)
    /// The dump was made for another head than the model under test.
    case headMismatch(path: String, dumpHead: String, modelHead: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read reference dump \(path): \(reason)"
        case .notAReferenceDump(let path, let format):
            return "\(path) is not a reference dump (format \(format.map { "\"\($0)\"" } ?? "absent"), expected "
                + "\"\(ReferenceDump.format)\"); write one with Scripts/dump_reference.py"
        case .missingKey(let path, let key): return "reference dump \(path) has no tensor \"\(key)\""
        case .headMismatch(let path, let dumpHead, let modelHead):
            return "reference dump \(path) was made for head \"\(dumpHead)\", the model is \"\(modelHead)\" "
                + "(re-run Scripts/dump_reference.py with --head \(modelHead))"
        }
    }
}
