import Foundation
import StrictJSON
import TensorCore

/// How start/end logits become answers.
public struct QuestionAnsweringPostprocessSettings: Sendable, Equatable {
    /// Best start and end indices tried per window, and candidates kept per question (HF 20).
    public var nBest: Int
    /// Longest answer in tokens (HF 30).
    public var maxAnswerLength: Int
    /// SQuAD v2: the null answer competes ("" when it beats the best span by the threshold).
    public var versionTwoWithNegative: Bool
    /// Predict "" when null score − best span score > this (HF 0).
    public var nullScoreDiffThreshold: Float
    /// Google's max-context rule: a span is considered only in the window where its start token
    /// has the most context (``QuestionAnsweringFeature/tokenIsMaxContext``). Off by default, as
    /// in HF `run_qa.py` (whose `postprocess_qa_predictions` applies the rule only when features
    /// carry `token_is_max_context`).
    public var useMaxContext: Bool

    public init(nBest: Int = 20, maxAnswerLength: Int = 30, versionTwoWithNegative: Bool = false,
                nullScoreDiffThreshold: Float = 0, useMaxContext: Bool = false) {
        self.nBest = nBest
        self.maxAnswerLength = maxAnswerLength
        self.versionTwoWithNegative = versionTwoWithNegative
        self.nullScoreDiffThreshold = nullScoreDiffThreshold
        self.useMaxContext = useMaxContext
    }
}

/// One n-best candidate of a question, as an entry of HF's `nbest_predictions.json`.
public struct QuestionAnsweringCandidate: Sendable, Equatable {
    public var text: String
    public var startLogit: Float
    public var endLogit: Float
    /// Softmax of start + end logit over the question's candidates.
    public var probability: Float
    /// True for the null answer (SQuAD v2), whose text is "".
    public var isNull: Bool

    public init(text: String, startLogit: Float, endLogit: Float, probability: Float, isNull: Bool = false) {
        self.text = text
        self.startLogit = startLogit
        self.endLogit = endLogit
        self.probability = probability
        self.isNull = isNull
    }
}

/// The answer to one question.
public struct QuestionAnsweringPrediction: Sendable, Equatable {
    public var id: String
    /// The predicted answer ("" for no answer under SQuAD v2).
    public var text: String
    public var nBest: [QuestionAnsweringCandidate]
    /// SQuAD v2: null score − best non-null span score (HF's `null_odds.json`).
    public var scoreDifference: Float?

    public init(id: String, text: String, nBest: [QuestionAnsweringCandidate], scoreDifference: Float? = nil) {
        self.id = id
        self.text = text
        self.nBest = nBest
        self.scoreDifference = scoreDifference
    }
}

/// HF `postprocess_qa_predictions` (transformers `examples/pytorch/question-answering/utils_qa.py`):
/// per window, the `nBest` largest start and end logits are paired; pairs outside the context,
/// reversed, or longer than `maxAnswerLength` are dropped; candidates of all windows of a
/// question are sorted by start + end logit (ties keep window order), the best `nBest` kept, their
/// texts cut from the context by the tokens' offsets, and softmax probabilities computed. Under
/// SQuAD v2 the null answer (the smallest `[CLS]` score over the windows) joins the candidates and
/// wins when it beats the best span by more than the threshold. With no candidate at all the answer
/// is HF's placeholder "empty".
///
/// Logit rows may be longer than their window (padding): positions past the window never give a
/// span but do take one of the `nBest` indices, exactly as in HF with padded features.
///
/// ```swift
/// let predictions = QuestionAnsweringPostprocess.predict(examples: dev.examples, features: features.features,
///                                                        startLogits: starts, endLogits: ends)
/// try QuestionAnsweringPostprocess.write(predictions, to: outputDirectory)
/// ```
public enum QuestionAnsweringPostprocess {
    public static func predict(examples: [SquadExample], features: [QuestionAnsweringFeature], startLogits: [[Float]],
                               endLogits: [[Float]], settings: QuestionAnsweringPostprocessSettings = .init())
        -> [QuestionAnsweringPrediction]
    {
        check(startLogits.count == features.count && endLogits.count == features.count,
              "QuestionAnsweringPostprocess.predict: \(features.count) features, \(startLogits.count)/\(endLogits.count) logit rows")
        var byExample = [[Int]](repeating: [], count: examples.count)
        for (k, f) in features.enumerated() { byExample[f.exampleIndex].append(k) }
        return examples.enumerated().map { index, example in
            predict(example: example, features: byExample[index].map { (features[$0], startLogits[$0], endLogits[$0]) },
                    settings: settings)
        }
    }

    struct Candidate {
        var range: Range<Int>?  // nil: the null answer
        var score: Float
        var start: Float
        var end: Float
    }

    /// The `n` indices of the largest values, largest first (ties: the larger index first, like
    /// reversing a stable ascending argsort).
    static func topIndices(_ values: [Float], _ n: Int) -> [Int] {
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 > $1) }
        return Array(order.prefix(n))
    }

    static func predict(example: SquadExample, features: [(QuestionAnsweringFeature, [Float], [Float])],
                        settings: QuestionAnsweringPostprocessSettings) -> QuestionAnsweringPrediction {
        var null: Candidate?
        var prelim: [Candidate] = []
        for (feature, starts, ends) in features {
            let nullScore = starts[0] + ends[0]
            if null == nil || null!.score > nullScore { null = Candidate(range: nil, score: nullScore, start: starts[0], end: ends[0]) }
            let offsets = feature.contextOffsets
            for s in topIndices(starts, settings.nBest) {
                for e in topIndices(ends, settings.nBest) {
                    guard s < offsets.count, e < offsets.count, let a = offsets[s], let b = offsets[e] else { continue }
                    guard e >= s, e - s + 1 <= settings.maxAnswerLength else { continue }
                    if settings.useMaxContext && !feature.tokenIsMaxContext[s] { continue }
                    prelim.append(Candidate(range: a.lowerBound..<b.upperBound, score: starts[s] + ends[e], start: starts[s], end: ends[e]))
                }
            }
        }
        if settings.versionTwoWithNegative, let null { prelim.append(null) }
        var best = prelim.enumerated().sorted { $0.element.score > $1.element.score || ($0.element.score == $1.element.score && $0.offset < $1.offset) }
            .prefix(settings.nBest).map(\.element)
        if settings.versionTwoWithNegative, let null, !best.contains(where: { $0.range == nil }) { best.append(null) }
        let context = Array(example.context.unicodeScalars)
        var texts = best.map { c in c.range.map { String(String.UnicodeScalarView(context[$0])) } ?? "" }
        var nulls = best.map { $0.range == nil }
        if best.isEmpty || (best.count == 1 && texts[0].isEmpty) {
            best.insert(Candidate(range: 0..<0, score: 0, start: 0, end: 0), at: 0)
            texts.insert("empty", at: 0)
            nulls.insert(false, at: 0)
        }
        let m = best.map(\.score).max()!
        let exps = best.map { exp($0.score - m) }
        let sum = exps.reduce(0, +)
        let nBest = best.indices.map {
            QuestionAnsweringCandidate(text: texts[$0], startLogit: best[$0].start, endLogit: best[$0].end,
                                       probability: exps[$0] / sum, isNull: nulls[$0])
        }
        guard settings.versionTwoWithNegative, let null else {
            return QuestionAnsweringPrediction(id: example.id, text: nBest[0].text, nBest: nBest, scoreDifference: nil)
        }
        let first = nBest.first { !$0.text.isEmpty } ?? nBest[0]
        let difference = null.score - first.startLogit - first.endLogit
        return QuestionAnsweringPrediction(id: example.id, text: difference > settings.nullScoreDiffThreshold ? "" : first.text,
                                           nBest: nBest, scoreDifference: difference)
    }

    /// `predictions.json`: `{"id": "answer", …}` in question order (HF's shape, 4-space indent).
    public static func predictionsJSON(_ predictions: [QuestionAnsweringPrediction]) -> String {
        object(predictions.map { (id: $0.id, value: JSONEscaper.quoted($0.text)) })
    }

    /// `nbest_predictions.json`: `{"id": [{"start_logit", "end_logit", "text", "probability"}, …], …}`.
    public static func nBestJSON(_ predictions: [QuestionAnsweringPrediction]) -> String {
        object(predictions.map { p in
            let items = p.nBest.map { c in
                "        {\n" + [("start_logit", number(c.startLogit)), ("end_logit", number(c.endLogit)),
                                  ("text", JSONEscaper.quoted(c.text)), ("probability", number(c.probability))]
                    .map { "            \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n        }"
            }
            return (id: p.id, value: items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n    ]")
        })
    }

    /// `null_odds.json` (SQuAD v2): `{"id": score difference, …}`.
    public static func nullOddsJSON(_ predictions: [QuestionAnsweringPrediction]) -> String {
        object(predictions.map { (id: $0.id, value: number($0.scoreDifference ?? 0)) })
    }

    /// Writes predictions.json and nbest_predictions.json (and null_odds.json under SQuAD v2)
    /// into `directory`, each atomically.
    /// - Returns: the files written.
    @discardableResult
    public static func write(_ predictions: [QuestionAnsweringPrediction], to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files = [("predictions.json", predictionsJSON(predictions)), ("nbest_predictions.json", nBestJSON(predictions))]
        if predictions.contains(where: { $0.scoreDifference != nil }) { files.append(("null_odds.json", nullOddsJSON(predictions))) }
        return try files.map { name, text in
            let url = directory.appendingPathComponent(name)
            try AtomicFile.write(to: url.path) { try $0.write(Array((text + "\n").utf8)) }
            return url
        }
    }

    static func number(_ v: Float) -> String { v.isFinite ? "\(Double(v))" : "null" }

    static func object(_ entries: [(id: String, value: String)]) -> String {
        guard !entries.isEmpty else { return "{}" }
        return "{\n" + entries.map { "    \(JSONEscaper.quoted($0.id)): \($0.value)" }.joined(separator: ",\n") + "\n}"
    }
}
