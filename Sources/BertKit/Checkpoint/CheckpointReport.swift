/// What a checkpoint load matched and did not match, by Hugging Face key.
///
/// ```swift
/// let report = try BertCheckpoint.load(contentsOf: url, into: model, strict: false)
/// if !report.isClean { print(report) }   // missing / unexpected / wrong-shape keys
/// ```
public struct CheckpointReport: Equatable, Sendable, CustomStringConvertible {
    /// Model parameters the checkpoint did not provide (they keep their current values).
    public var missing: [String] = []
    /// Checkpoint tensors no model parameter consumed.
    public var unexpected: [String] = []
    /// Keys present on both sides with different shapes: (key, checkpoint shape, model shape).
    public var wrongShape: [ShapeMismatch] = []
    /// Keys loaded into the model.
    public var loaded: [String] = []

    /// One key whose checkpoint shape differs from the model's.
    public struct ShapeMismatch: Equatable, Sendable {
        public var key: String
        public var checkpointShape: [Int]
        public var modelShape: [Int]
    }

    public init() {}

    /// True when nothing is missing, unexpected or of the wrong shape.
    public var isClean: Bool { missing.isEmpty && unexpected.isEmpty && wrongShape.isEmpty }

    public var description: String {
        var parts: [String] = ["loaded \(loaded.count)"]
        if !missing.isEmpty { parts.append("missing \(missing.count): \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty {
            parts.append("unexpected \(unexpected.count): \(unexpected.joined(separator: ", "))")
        }
        if !wrongShape.isEmpty {
            parts.append("wrong shape \(wrongShape.count): " + wrongShape.map {
                "\($0.key) (checkpoint \($0.checkpointShape), model \($0.modelShape))"
            }.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }
}
