/// The knobs of pretraining-data creation, with google-research/bert's defaults
/// (`create_pretraining_data.py` flags of the same names).
///
/// ```swift
/// var settings = PretrainingSettings()          // 128 tokens, 20 predictions, p = 0.15, …
/// settings.wholeWordMask = true
/// try settings.validate()
/// ```
public struct PretrainingSettings: Sendable, Hashable, Codable {
    /// `max_seq_length`: tokens per instance including [CLS] and the two [SEP] (at least 5).
    public var maxSeqLength: Int = 128
    /// `max_predictions_per_seq`: masked positions per instance.
    public var maxPredictions: Int = 20
    /// `masked_lm_prob`.
    public var maskedLMProbability: Double = 0.15
    /// `short_seq_prob`: probability of a shorter random target length.
    public var shortSeqProbability: Double = 0.1
    /// `dupe_factor`: passes over the documents (each with fresh masks).
    public var dupeFactor: Int = 10
    /// `do_whole_word_mask`.
    public var wholeWordMask: Bool = false
    /// `random_seed`.
    public var seed: Int = 12345
    /// When false, instances are written without masks (tokens unchanged) for dynamic masking
    /// at training time; the masking draws are then skipped.
    public var staticMasking: Bool = true

    public init() {}

    /// - Throws: ``PretrainingError/invalidSetting(name:detail:)`` for values the algorithm
    ///   cannot work with (e.g. `maxSeqLength < 5` leaves no room for one token of A and B).
    public func validate() throws {
        func fail(_ name: String, _ detail: String) -> PretrainingError { .invalidSetting(name: name, detail: detail) }
        guard maxSeqLength >= 5 else { throw fail("max-seq-length", "\(maxSeqLength) < 5 ([CLS], [SEP], [SEP] and two tokens)") }
        guard maxSeqLength <= 65_535 else { throw fail("max-seq-length", "\(maxSeqLength) > 65535") }
        guard maxPredictions >= 1, maxPredictions <= maxSeqLength else {
            throw fail("max-predictions", "\(maxPredictions) not in 1...\(maxSeqLength)")
        }
        guard maskedLMProbability >= 0, maskedLMProbability <= 1 else {
            throw fail("masked-lm-prob", "\(maskedLMProbability) not in [0, 1]")
        }
        guard shortSeqProbability >= 0, shortSeqProbability <= 1 else {
            throw fail("short-seq-prob", "\(shortSeqProbability) not in [0, 1]")
        }
        guard dupeFactor >= 1 else { throw fail("dupe-factor", "\(dupeFactor) < 1") }
        guard seed >= 0 else { throw fail("seed", "\(seed) < 0") }
    }
}
