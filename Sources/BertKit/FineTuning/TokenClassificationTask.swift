import Foundation
import TensorCore
import Tokenization

/// One sentence as the tagger sees it: its encoding (words encoded as HF `is_split_into_words`)
/// and one label per token — the word's tag id on its first token, -100 on its other tokens and
/// on the special tokens (transformers' `run_ner.py` with `label_all_tokens=False`).
public struct TaggedFeature: Sendable, Equatable {
    public var encoding: Encoding
    public var labels: [Int]
    public var wordCount: Int

    public init(encoding: Encoding, labels: [Int], wordCount: Int) {
        self.encoding = encoding
        self.labels = labels
        self.wordCount = wordCount
    }
}

/// What the tagger says about one sentence.
public struct WordPredictions: Sendable, Equatable {
    /// The arg-max tag id at each word's first token; nil for a word with no token (cut off by
    /// truncation, or empty after normalisation).
    public var ids: [Int?]
    /// Summed cross-entropy of the labelled tokens, and how many there are.
    public var lossSum: Double
    public var labelled: Int

    public init(ids: [Int?], lossSum: Double = 0, labelled: Int = 0) {
        self.ids = ids
        self.lossSum = lossSum
        self.labelled = labelled
    }
}

/// Token classification (NER, chunking, POS) with a ``TokenClassifierModel``
/// (`BertForTokenClassification`, `DistilBertForTokenClassification`) on CoNLL files,
/// as transformers' `run_ner.py`: each sentence's words encoded with `encode(words:)`, truncated
/// to `maxLength` tokens (no stride windows: the words beyond are not seen), the word's tag on
/// its first sub-token and -100 elsewhere; the prediction of a word is the arg-max at its first
/// token; metrics by ``EntityMetrics`` (seqeval): precision, recall, F1 (the primary metric),
/// token accuracy, the mean loss over labelled tokens, and per entity type `TYPE_precision`,
/// `TYPE_recall`, `TYPE_f1`, `TYPE_number`.
///
/// Words with no token — cut off by truncation, or empty after normalisation (a lone control
/// character) — are scored as predicted "O" by default (``WordsWithoutToken/predictO``), so
/// entities the model never saw count as missed. ``WordsWithoutToken/skip`` drops them from
/// both sides instead, which is exactly what `run_ner.py` reports.
///
/// The training loss of a micro-batch is its mean over labelled tokens (as HF's); the trainer
/// weights micro-batches (and MPI ranks) by their sentence count, so accumulation or several
/// processes give the gradient of one large batch only when every sentence has as many labelled
/// tokens — as with HF's gradient accumulation and DDP, which average per-batch means.
/// Evaluation under MPI gathers exactly: each rank's rows hold per-word tag ids and the loss
/// sum (the loss passes through Float, so it may differ from one process in the 8th digit).
///
/// ```swift
/// let task = try TokenClassificationTask(model: loaded.model, tokenizer: tokenizer, tags: tags,
///                                        train: trainFile, eval: devFile, maxLength: 128)
/// let predicted = try task.predict(try task.features(devFile.sentences))   // per word tag ids
/// ```
public final class TokenClassificationTask: FineTuningTask {
    /// How words without a token are scored.
    public enum WordsWithoutToken: String, Sendable, CaseIterable {
        /// Predicted "O": their gold entities count as missed (the default).
        case predictO = "O"
        /// Left out of the gold and the predicted tags (transformers' `run_ner.py`).
        case skip
    }

    public let tagger: any TokenClassifierModel
    public let tokenizer: BertTokenizer
    public let tags: TagScheme
    public let maxLength: Int
    public var evalBatchSize = 64
    public var wordsWithoutToken = WordsWithoutToken.predictO
    /// Tokenizer files copied next to the saved weights (the source model directory).
    public var tokenizerSource: URL?
    let trainFeatures: [TaggedFeature]
    let evalFeatures: [TaggedFeature]
    let evalSentences: [CoNLLSentence]
    let padId: Int

    public var model: any Module { tagger }
    public var trainCount: Int { trainFeatures.count }

    /// - Throws: ``FineTuningError`` naming file and line for a tag outside `tags`;
    ///   `TrainingError.invalidSetting` for a bad `maxLength`; tokenizer errors.
    public init(model: any TokenClassifierModel, tokenizer: BertTokenizer, tags: TagScheme,
                train: CoNLLFile?, eval: CoNLLFile?, maxLength: Int) throws {
        guard maxLength >= 3 else { throw TrainingError.invalidSetting("max length \(maxLength) is below 3") }
        guard maxLength <= model.maxPositions else {
            throw TrainingError.invalidSetting("max length \(maxLength) exceeds max_position_embeddings \(model.maxPositions)")
        }
        guard model.numLabels == tags.count else {
            throw FineTuningError.modelMismatch("the classifier has \(model.numLabels) outputs, the tags need \(tags.count)")
        }
        tagger = model
        // Tags are read at real tokens only (-100 on padding): the layers may skip padding.
        model.skipsPaddingPositions = true
        var t = tokenizer
        t.truncation = Truncation(maxLength: maxLength)
        t.padding = nil
        self.tokenizer = t
        self.tags = tags
        self.maxLength = maxLength
        padId = t.id(for: "[PAD]") ?? model.padTokenId
        trainFeatures = try train.map { try Self.features($0.sentences, file: $0.url.path, tokenizer: t, tags: tags) } ?? []
        evalFeatures = try eval.map { try Self.features($0.sentences, file: $0.url.path, tokenizer: t, tags: tags) } ?? []
        evalSentences = eval?.sentences ?? []
    }

    /// Encodes `sentences` as the task does; labels where a sentence is tagged (-100 otherwise).
    /// - Throws: ``FineTuningError`` naming `file` and the line of a tag outside the task's tags.
    public func features(_ sentences: [CoNLLSentence], file: String = "input") throws -> [TaggedFeature] {
        try Self.features(sentences, file: file, tokenizer: tokenizer, tags: tags)
    }

    /// The features of `sentences` with `tokenizer` (its truncation applies).
    public static func features(_ sentences: [CoNLLSentence], file: String, tokenizer: BertTokenizer,
                                tags: TagScheme) throws -> [TaggedFeature] {
        let encodings = try tokenizer.encodeBatch(words: sentences.map(\.words))
        return try zip(sentences, encodings).map { sentence, encoding in
            let ids: [Int]? = sentence.tags == nil ? nil : try tags.ids(of: sentence, file: file)
            return TaggedFeature(encoding: encoding, labels: alignedLabels(wordIds: encoding.wordIds, tagIds: ids),
                                 wordCount: sentence.words.count)
        }
    }

    /// The label of every token: the word's tag id on the first token of each word, -100 on the
    /// word's other tokens and on special tokens (and everywhere when `tagIds` is nil).
    public static func alignedLabels(wordIds: [Int?], tagIds: [Int]?) -> [Int] {
        var previous: Int?
        return wordIds.map { word in
            defer { previous = word }
            guard let word, word != previous, let tagIds else { return -100 }
            return tagIds[word]
        }
    }

    /// The labelled tokens at `indices` (the loss is their mean, as HF's): a batch with twice
    /// the labelled tokens weighs twice in gradient accumulation and across processes.
    public func lossWeight(_ indices: [Int]) -> Int {
        indices.reduce(0) { $0 + trainFeatures[$1].labels.count { $0 != -100 } }
    }

    public func trainingLoss(_ indices: [Int]) throws -> Tensor {
        let chosen = indices.map { trainFeatures[$0] }
        return try tagger.tag(chosen.map(\.encoding), padId: padId, labels: chosen.map(\.labels)).loss!  // []
    }

    /// Each sentence's word predictions and labelled-token loss, in evaluation mode without a
    /// graph, `evalBatchSize` sentences at a time.
    public func predict(_ features: [TaggedFeature]) throws -> [WordPredictions] {
        tagger.eval()
        var out: [WordPredictions] = []
        out.reserveCapacity(features.count)
        try withNoGrad {
            for start in stride(from: 0, to: features.count, by: evalBatchSize) {
                let chunk = Array(features[start..<min(start + evalBatchSize, features.count)])
                let scored = try tagger.tag(chunk.map(\.encoding), padId: padId, labels: nil)  // logits [B, T, C]
                let logits = scored.logits.toArray()
                let (t, c) = (scored.logits.shape[1], tags.count)
                for (row, feature) in chunk.enumerated() {
                    var p = WordPredictions(ids: [Int?](repeating: nil, count: feature.wordCount), lossSum: 0, labelled: 0)
                    var previous: Int?
                    for k in 0..<feature.encoding.count {
                        let base = (row * t + k) * c
                        let scores = logits[base..<(base + c)]
                        let word = feature.encoding.wordIds[k]
                        if let word, word != previous {
                            p.ids[word] = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }! - base
                        }
                        previous = word
                        let label = feature.labels[k]
                        guard label >= 0 else { continue }
                        let m = Double(scores.max()!)
                        p.lossSum += m + log(scores.reduce(0.0) { $0 + exp(Double($1) - m) }) - Double(scores[base + label])
                        p.labelled += 1
                    }
                    out.append(p)
                }
            }
        }
        return out
    }

    /// The predicted tag of every word of `sentence`: words with no token get "O".
    public func tagNames(_ predictions: WordPredictions) -> [String] {
        predictions.ids.map { $0.map { tags.names[$0] } ?? "O" }
    }

    /// The task metrics of `predictions` against the tags of `sentences` (see the type's notes
    /// on words without a token).
    public func evaluation(_ predictions: [WordPredictions], sentences: [CoNLLSentence]) -> TaskEvaluation {
        var gold: [[String]] = [], predicted: [[String]] = []
        var lossSum = 0.0, labelled = 0
        for (p, sentence) in zip(predictions, sentences) {
            lossSum += p.lossSum
            labelled += p.labelled
            let truth = sentence.tags ?? []
            var g: [String] = [], q: [String] = []
            for (w, tag) in truth.enumerated() {
                if let id = p.ids[w] {
                    g.append(tag); q.append(tags.names[id])
                } else if wordsWithoutToken == .predictO {
                    g.append(tag); q.append("O")
                }
            }
            gold.append(g)
            predicted.append(q)
        }
        let m = EntityMetrics(gold: gold, predicted: predicted)
        var metrics: [(name: String, value: Double)] = [
            ("precision", m.overall.precision), ("recall", m.overall.recall), ("f1", m.overall.f1), ("accuracy", m.accuracy),
            ("loss", labelled == 0 ? 0 : lossSum / Double(labelled)),
        ]
        for type in m.typeNames {
            let s = m.types[type]!
            metrics += [("\(type)_precision", s.precision), ("\(type)_recall", s.recall), ("\(type)_f1", s.f1),
                        ("\(type)_number", Double(s.support))]
        }
        return TaskEvaluation(metrics: metrics, primary: "f1")
    }

    public func evaluate() throws -> TaskEvaluation? {
        guard !evalFeatures.isEmpty else { return nil }
        return try evaluation(fromOutputs: evaluationOutputs(0..<evalFeatures.count))
    }

    public var evaluationCount: Int { evalFeatures.count }

    /// The widest evaluation sentence, in words: the width of ``evaluationOutputs(_:)`` rows.
    var evaluationWidth: Int { 2 + (evalSentences.map(\.words.count).max() ?? 0) }

    /// One row per evaluation sentence of `range`: the summed loss, the labelled-token count,
    /// then each word's predicted tag id (-1: no token, or past the sentence's end).
    public func evaluationOutputs(_ range: Range<Int>) throws -> [[Float]] {
        try predict(Array(evalFeatures[range])).map { p in
            var row = [Float](repeating: -1, count: evaluationWidth)
            row[0] = Float(p.lossSum)
            row[1] = Float(p.labelled)
            for (w, id) in p.ids.enumerated() { if let id { row[2 + w] = Float(id) } }
            return row
        }
    }

    public func evaluation(fromOutputs outputs: [[Float]]) throws -> TaskEvaluation? {
        guard !evalFeatures.isEmpty else { return nil }
        check(outputs.count == evalSentences.count, "TokenClassificationTask: \(outputs.count) output rows for \(evalSentences.count) sentences")
        let predictions = zip(outputs, evalSentences).map { row, sentence in
            WordPredictions(ids: (0..<sentence.words.count).map { row[2 + $0] < 0 ? nil : Int(row[2 + $0]) },
                            lossSum: Double(row[0]), labelled: Int(row[1]))
        }
        return evaluation(predictions, sentences: evalSentences)
    }

    /// Writes config.json (with `id2label`/`label2id`), model.safetensors and the tokenizer files.
    public func save(to directory: URL) throws {
        try tagger.save(to: directory, tags: tags)
        if let tokenizerSource { try TokenizerFiles.copy(from: tokenizerSource, to: directory) }
    }
}
