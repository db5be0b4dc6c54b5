import Foundation

/// What can stop a training run, each saying what and where.
///
/// ```swift
/// do { try run.train() } catch let error as TrainingError { print(error) }  // "step 412: non-finite loss nan …"
/// ```
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The training data is unusable (empty, too long, inconsistent); the text says where.
    case invalidData(String)
    /// The loss or the gradient norm of optimizer step `step` (1-based) is NaN or infinite.
    case nonFiniteLoss(step: Int, loss: Double, gradientNorm: Double)
    /// A checkpoint directory is missing a file, damaged, or does not match the run.
    case checkpoint(path: String, reason: String)
    /// Two vocabularies that must be the same differ.
    case vocabularyMismatch(String)
    /// A run setting is invalid (flag values, schedule, shapes).
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .invalidData(message): return "training data: \(message)"
        case let .nonFiniteLoss(step, loss, norm):
            return "step \(step): non-finite loss \(loss) (gradient norm \(norm)); no update applied, no checkpoint "
                + "overwritten — lower --lr, check the data, or pass --skip-nonfinite"
        case let .checkpoint(path, reason): return "checkpoint \(path): \(reason)"
        case let .vocabularyMismatch(message): return "vocabulary mismatch: \(message)"
        case let .invalidSetting(message): return "invalid setting: \(message)"
        }
    }
}
