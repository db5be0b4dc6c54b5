import Foundation

/// What can go wrong while preparing or reading pretraining data. Each case says what and where.
///
/// Bad *text* is never an error (empty files and documents, undecodable bytes, lines that
/// tokenize to nothing, overlong sentences are all handled); errors are reserved for a
/// vocabulary or settings that cannot work, files that cannot be read or written, and shard
/// files that are not what they claim.
///
/// ```swift
/// do { _ = try PretrainingVocabulary(tokenizer: tokenizer) }
/// catch let error as PretrainingError { print(error) }   // "vocabulary …: no [MASK] token …"
/// ```
public enum PretrainingError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The vocabulary lacks a token pretraining needs ([CLS], [SEP], [MASK]).
    case missingSpecialToken(token: String, source: String)
    /// A setting is out of range (name, and why).
    case invalidSetting(name: String, detail: String)
    /// An input path does not exist or cannot be read.
    case unreadableInput(path: String, reason: String)
    /// An output file or directory cannot be created or written.
    case unwritableOutput(path: String, reason: String)
    /// A shard file is truncated, has a wrong magic/version or a record that does not fit.
    case malformedShard(path: String, detail: String)
    /// An instance index beyond the data set.
    case indexOutOfRange(index: Int, count: Int)

    public var description: String {
        switch self {
        case .missingSpecialToken(let token, let source):
            return "vocabulary \(source): no \(token) token, which pretraining data needs"
        case .invalidSetting(let name, let detail): return "invalid \(name): \(detail)"
        case .unreadableInput(let path, let reason): return "cannot read input \(path): \(reason)"
        case .unwritableOutput(let path, let reason): return "cannot write \(path): \(reason)"
        case .malformedShard(let path, let detail): return "malformed shard \(path): \(detail)"
        case .indexOutOfRange(let index, let count): return "instance \(index) out of range (count \(count))"
        }
    }

    public var errorDescription: String? { description }
}
