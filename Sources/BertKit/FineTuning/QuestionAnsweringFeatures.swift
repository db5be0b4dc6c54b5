import Foundation
import Tokenization

/// How SQuAD questions and contexts become model windows.
///
/// - `maxLength`: tokens per window, `[CLS] question [SEP] context window [SEP]` (HF's
///   `max_seq_length`, 384 in the BERT recipes).
/// - `docStride`: **the overlap, in tokens, of consecutive context windows** — HF's tokenizer
///   `stride`, as `run_qa.py --doc_stride` passes it. Google's `run_squad.py --doc_stride` is the
///   *step* between window starts instead: Google's stride s equals an HF overlap of
///   (maxLength − 3 − question tokens) − s, so the two flags with the same number differ.
/// - `maxQueryLength`: questions longer than this many tokens are cut, as Google does (HF's
///   `run_qa.py` has no such limit) — but at a word boundary: the kept text is the question up to
///   the first word whose tokens would not fit, so it tokenizes to exactly the kept tokens. A
///   question whose first word alone is longer is refused.
///
/// `maxLength − 3 − maxQueryLength` must exceed `docStride`, so every window advances.
public struct QuestionAnsweringSettings: Sendable, Equatable {
    public var maxLength: Int
    public var docStride: Int
    public var maxQueryLength: Int

    public init(maxLength: Int = 384, docStride: Int = 128, maxQueryLength: Int = 64) {
        self.maxLength = maxLength
        self.docStride = docStride
        self.maxQueryLength = maxQueryLength
    }

    /// - Throws: ``TrainingError/invalidSetting(_:)`` for values that leave no room for the context.
    public func validate() throws {
        guard maxQueryLength >= 1, docStride >= 0 else {
            throw TrainingError.invalidSetting("max query length must be ≥ 1 and doc stride ≥ 0")
        }
        guard maxLength - 3 - maxQueryLength > docStride else {
            throw TrainingError.invalidSetting("max length \(maxLength) − 3 special tokens − max query length \(maxQueryLength) "
                + "leaves \(maxLength - 3 - maxQueryLength) context tokens per window, which must exceed the doc stride "
                + "\(docStride) (the overlap between windows)")
        }
    }
}

/// One model window of one SQuAD question: `[CLS] question [SEP] part of the context [SEP]`.
public struct QuestionAnsweringFeature: Sendable {
    /// Index of the question in the examples the features were made from.
    public var exampleIndex: Int
    /// The window's tokens (unpadded).
    public var encoding: Encoding
    /// Per token, its scalar range in the context, nil for the question, specials and padding
    /// (HF's `offset_mapping` with None outside the context).
    public var contextOffsets: [Range<Int>?]
    /// Training targets: the tokens where the answer starts and ends, or the `[CLS]` index (0)
    /// when the answer is not wholly inside this window or the question is unanswerable.
    public var startPosition: Int
    public var endPosition: Int
    /// Per token, Google's "max context" flag: this window is the one where the token has the
    /// most context on both sides (`_check_is_max_context`); false outside the context.
    public var tokenIsMaxContext: [Bool]
}

/// SQuAD examples → windows, as HF `run_qa.py`'s `prepare_train_features` /
/// `prepare_validation_features`: the question (left-stripped) first, the context second,
/// truncation `only_second` to `maxLength` with `docStride` tokens of overlap, every overflowing
/// window kept, offsets into the original context.
///
/// Training positions follow HF: from the first answer, the CLS index when the answer is not
/// wholly inside the window, else the first and last context tokens covering it. One deliberate
/// difference: HF's start search walks past the end of the context (into `[SEP]`, whose offset
/// is (0, 0), and the padding) when the answer starts in the window's last context token, and
/// so trains on the final `[SEP]`/pad position; here the search stops at the context's end and
/// the target is that last context token. `Scripts/make_qa_fixtures.py` records both.
///
/// ```swift
/// let features = try QuestionAnsweringFeatures.make(dev.examples, tokenizer: tokenizer,
///                                                   settings: QuestionAnsweringSettings(maxLength: 384))
/// features.features.count   // ≥ the number of questions (long contexts give several windows)
/// ```
public struct QuestionAnsweringFeatures: Sendable {
    public var features: [QuestionAnsweringFeature]
    /// Ids of the questions cut to `maxQueryLength` tokens.
    public var truncatedQuestions: [String]

    /// - Throws: ``TrainingError/invalidSetting(_:)`` for bad settings; ``FineTuningError`` naming
    ///   `file` and the question for a question that cannot be cut or a window the tokenizer
    ///   refuses.
    public static func make(_ examples: [SquadExample], tokenizer: BertTokenizer, settings: QuestionAnsweringSettings,
                            file: String = "") throws -> QuestionAnsweringFeatures {
        try settings.validate()
        var pairTokenizer = tokenizer
        pairTokenizer.truncation = Truncation(maxLength: settings.maxLength, strategy: .onlySecond, stride: settings.docStride)
        pairTokenizer.padding = nil
        var plain = tokenizer
        plain.truncation = nil
        plain.padding = nil
        let clsId = tokenizer.id(for: "[CLS]")
        var features: [QuestionAnsweringFeature] = []
        var truncated: [String] = []
        for (index, example) in examples.enumerated() {
            func fail(_ reason: String) -> FineTuningError { .badFile(file: file, reason: "\(example.path): \(reason)") }
            var question = String(String.UnicodeScalarView(example.question.unicodeScalars.drop { $0.properties.isWhitespace }))
            let q = try plain.encode(question, addSpecialTokens: false)
            if q.count > settings.maxQueryLength {
                // Cut before the first word that does not fit whole.
                let word = q.wordIds[settings.maxQueryLength]
                var cut = settings.maxQueryLength
                while cut > 0 && q.wordIds[cut - 1] == word { cut -= 1 }
                guard cut > 0 else {
                    throw fail("the question's first word has more than --max-query-length \(settings.maxQueryLength) tokens")
                }
                let end = q.offsets[cut - 1].upperBound
                question = String(String.UnicodeScalarView(question.unicodeScalars.prefix(end)))
                truncated.append(example.id)
            }
            let main: Encoding
            do { main = try pairTokenizer.encode(question, pair: example.context) } catch let e as TokenizationError {
                throw fail("cannot be split into windows: \(e)")
            }
            let windows = [main] + main.overflowing
            // Context token spans of the windows (start in context tokens, length), for the max-context rule.
            var spans: [(start: Int, length: Int)] = []
            for w in windows {
                let length = w.sequenceIds.filter { $0 == 1 }.count
                let start = spans.last.map { $0.start + $0.length - settings.docStride } ?? 0
                spans.append((spans.isEmpty ? 0 : start, length))
            }
            for (k, w) in windows.enumerated() {
                var e = w
                e.overflowing = []
                let context = e.sequenceIds.indices.filter { e.sequenceIds[$0] == 1 }
                let offsets: [Range<Int>?] = e.offsets.indices.map { e.sequenceIds[$0] == 1 ? e.offsets[$0] : nil }
                var maxContext = [Bool](repeating: false, count: e.count)
                for (j, t) in context.enumerated() {
                    maxContext[t] = Self.isMaxContext(spans: spans, span: k, position: spans[k].start + j)
                }
                let cls = clsId.flatMap { e.ids.firstIndex(of: $0) } ?? 0
                var start = cls, end = cls
                if let answer = example.answers.first, !example.isImpossible, let first = context.first, let last = context.last {
                    let startChar = answer.start, endChar = answer.start + answer.text.unicodeScalars.count
                    if e.offsets[first].lowerBound <= startChar && e.offsets[last].upperBound >= endChar {
                        var s = first
                        while s <= last && e.offsets[s].lowerBound <= startChar { s += 1 }
                        start = s - 1
                        var t = last
                        while t >= first && e.offsets[t].upperBound >= endChar { t -= 1 }
                        end = t + 1
                    }
                }
                features.append(QuestionAnsweringFeature(exampleIndex: index, encoding: e, contextOffsets: offsets,
                                                         startPosition: start, endPosition: end, tokenIsMaxContext: maxContext))
            }
        }
        return QuestionAnsweringFeatures(features: features, truncatedQuestions: truncated)
    }

    /// Google's `_check_is_max_context`: among the windows holding context token `position`, the
    /// one maximising min(left context, right context) + 0.01 · window length (the first on ties).
    static func isMaxContext(spans: [(start: Int, length: Int)], span: Int, position: Int) -> Bool {
        var best: Double?
        var bestIndex: Int?
        for (k, s) in spans.enumerated() {
            let end = s.start + s.length - 1
            guard position >= s.start, position <= end else { continue }
            let score = Double(min(position - s.start, end - position)) + 0.01 * Double(s.length)
            if best == nil || score > best! {
                best = score
                bestIndex = k
            }
        }
        return bestIndex == span
    }
}
