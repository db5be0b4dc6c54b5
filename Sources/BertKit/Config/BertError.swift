import Foundation

/// Errors BertKit reports for input from outside the library (files, configs, token ids, masks).
///
/// Every case says what was wrong and where:
/// ```swift
/// do { _ = try BertConfig(contentsOf: url) }
/// catch let error as BertError { print(error) }   // "config.json at /m/config.json: ..."
/// ```
public enum BertError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A required file is absent.
    case missingFile(path: String)
    /// A file exists but cannot be parsed; `reason` says why.
    case malformedFile(path: String, reason: String)
    /// A configuration value is out of range or unsupported.
    case invalidConfig(String)
    /// Model inputs (ids, masks, type ids, labels) do not fit the model.
    case invalidInput(String)
    /// A strict checkpoint load found missing, unexpected or wrong-shape keys.
    case checkpointMismatch(CheckpointReport)
    /// A file or directory could not be written; nothing partial is left behind.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path): return "missing file: \(path)"
        case .malformedFile(let path, let reason): return "malformed file \(path): \(reason)"
        case .invalidConfig(let message): return "invalid BERT config: \(message)"
        case .invalidInput(let message): return "invalid model input: \(message)"
        case .checkpointMismatch(let report): return "checkpoint does not match the model: \(report)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
