import Foundation
import Tokenization

/// Pretraining instances from a `.jsonl` file as `bert pretraining-data --format jsonl` and
/// google-research/bert write them: one object per line with `tokens` (strings),
/// `segment_ids`, `is_random_next`, `masked_lm_positions`, `masked_lm_labels` (strings).
/// Tokens are mapped to ids with `vocabulary`; the whole file is read into memory.
///
/// ```swift
/// let source = try InstanceLinesSource(url: URL(fileURLWithPath: "instances.jsonl"), vocabulary: vocab,
///                                      sequenceLength: 128)
/// ```
public final class InstanceLinesSource: PretrainingBatchSource {
    public let examples: [PretrainingExample]
    public let sequenceLength: Int
    public let padId: Int

    private struct Line: Decodable {
        var tokens: [String]
        var segment_ids: [Int]
        var is_random_next: Bool
        var masked_lm_positions: [Int]
        var masked_lm_labels: [String]
    }

    /// - Parameter sequenceLength: every batch is padded to this length (the longest instance when nil).
    /// - Throws: ``TrainingError/invalidData(_:)`` naming the file and line of a malformed
    ///   instance or a token missing from the vocabulary.
    public init(url: URL, vocabulary: Vocabulary, sequenceLength: Int? = nil) throws {
        let data: Data
        do { data = try InputFile.read(url) } catch {
            throw TrainingError.invalidData("\(url.path): \(error.reason)")
        }
        let padId = vocabulary.id(for: "[PAD]") ?? 0
        var examples: [PretrainingExample] = []
        let decoder = JSONDecoder()
        var lineNumber = 0
        for slice in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let where_ = "\(url.path):\(lineNumber)"
            let line: Line
            do { line = try decoder.decode(Line.self, from: Data(slice)) } catch {
                throw TrainingError.invalidData("\(where_): not a pretraining instance (\(error))")
            }
            func ids(_ tokens: [String]) throws -> [Int] {
                try tokens.map { token in
                    guard let id = vocabulary.id(for: token) else {
                        throw TrainingError.invalidData("\(where_): token \"\(token)\" is not in the vocabulary")
                    }
                    return id
                }
            }
            let example = PretrainingExample(
                inputIds: try ids(line.tokens), segmentIds: line.segment_ids, maskedPositions: line.masked_lm_positions,
                maskedLabels: try ids(line.masked_lm_labels), nextSentenceLabel: line.is_random_next ? 1 : 0)
            guard example.segmentIds.count == example.inputIds.count,
                  example.maskedPositions.count == example.maskedLabels.count,
                  example.maskedPositions.allSatisfy({ (0..<example.inputIds.count).contains($0) }) else {
                throw TrainingError.invalidData("\(where_): segment_ids or masked_lm_positions do not match the tokens")
            }
            examples.append(example)
        }
        let longest = examples.map(\.inputIds.count).max() ?? 0
        if let sequenceLength, longest > sequenceLength {
            throw TrainingError.invalidData("\(url.path): an instance has \(longest) tokens, more than --max-seq-length \(sequenceLength)")
        }
        self.examples = examples
        self.sequenceLength = sequenceLength ?? longest
        self.padId = padId
    }

    public var count: Int { examples.count }

    public func batch(indices: [Int]) throws -> TrainingBatch {
        try TrainingBatch(examples: indices.map { examples[$0] }, sequenceLength: sequenceLength, padId: padId)
    }
}
