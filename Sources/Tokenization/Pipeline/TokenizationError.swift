import Foundation

/// Everything that can go wrong when loading a vocabulary or tokenizer, or when encoding under
/// truncation settings the input cannot satisfy. Each case names what and where.
public enum TokenizationError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A file could not be read (missing, a directory, no permission…).
    case unreadableFile(path: String, reason: String)
    /// A vocabulary line is not valid UTF-8 (1-based line number).
    case invalidUTF8(path: String, line: Int)
    /// The vocabulary has no tokens.
    case emptyVocabulary(path: String)
    /// A token the configuration needs (e.g. "[UNK]" or "[SEP]") is not in the vocabulary.
    case missingToken(token: String, role: String, path: String)
    /// tokenizer.json is not valid JSON or lacks a required field.
    case malformedTokenizerFile(path: String, detail: String)
    /// tokenizer.json describes a component this library does not implement.
    case unsupportedComponent(path: String, component: String, type: String)
    /// Truncation "only_second" (or a pair budget) was asked for a single sequence.
    case secondSequenceNotProvided
    /// The sequence chosen by "only_first"/"only_second" is too short to reach `maxLength`.
    case sequenceTooShort(strategy: String, sequenceLength: Int, tokensToRemove: Int)
    /// `maxLength` is smaller than the number of special tokens the post-processor adds.
    case maxLengthTooSmall(maxLength: Int, specialTokens: Int)
    /// Stride must be strictly less than the length a sequence is truncated to.
    case strideTooLarge(stride: Int, truncatedLength: Int)
    /// A parameter value is out of range (what, and why).
    case invalidParameter(name: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .invalidUTF8(path, line):
            return "\(path): line \(line) is not valid UTF-8"
        case let .emptyVocabulary(path):
            return "\(path): the vocabulary is empty"
        case let .missingToken(token, role, path):
            return "\(path): the \(role) token \"\(token)\" is not in the vocabulary"
        case let .malformedTokenizerFile(path, detail):
            return "\(path): malformed tokenizer file: \(detail)"
        case let .unsupportedComponent(path, component, type):
            return "\(path): unsupported \(component) \"\(type)\" (only BERT WordPiece pipelines are supported)"
        case .secondSequenceNotProvided:
            return "truncation error: second sequence not provided"
        case let .sequenceTooShort(strategy, length, remove):
            return "truncation error (\(strategy)): the sequence to truncate has \(length) tokens, "
                + "fewer than the \(remove) that must be removed to respect max_length"
        case let .maxLengthTooSmall(maxLength, specials):
            return "truncation error: max_length \(maxLength) is smaller than the \(specials) special tokens added"
        case let .strideTooLarge(stride, length):
            return "truncation error: stride \(stride) must be strictly less than the truncated length \(length) "
                + "(max_length minus the special tokens, shared between the sequences of a pair)"
        case let .invalidParameter(name, detail):
            return "invalid \(name): \(detail)"
        }
    }

    public var errorDescription: String? { description }
}
