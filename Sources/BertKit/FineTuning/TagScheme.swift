import Foundation

/// The tags of a token classification task in id order (`id2label`).
///
/// Built as transformers' `run_ner.py` builds its label list: the distinct tags of the training
/// data sorted by code point — unless the model's config already names its labels (a fine-tuned
/// model), in which case those are the tags, in their ids, and every training tag must be one of
/// them (`run_ner.py` then falls back to the data's labels with a warning; this is an error
/// naming the file and line instead).
///
/// ```swift
/// let tags = try TagScheme(training: trainFile, config: directory.config)
/// tags.names          // ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"]
/// tags.id(of: "O")    // 4
/// ```
public struct TagScheme: Sendable, Equatable {
    /// Tag names in id order.
    public let names: [String]
    let ids: [String: Int]

    public init(names: [String]) {
        self.names = names
        ids = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    /// The tags of `training` for a model with `config`.
    /// - Throws: ``FineTuningError`` when the file has no tags, or (for a config that names its
    ///   labels) naming the line of the first tag that is not among them.
    public init(training: CoNLLFile, config: BertConfig) throws {
        try self.init(training: training, id2label: config.id2label, numLabels: config.numLabels)
    }

    /// The tags of `training` for a model whose config has these labels (any architecture).
    public init(training: CoNLLFile, id2label: [Int: String], numLabels: Int) throws {
        guard training.isTagged else {
            throw FineTuningError.badFile(file: training.url.path, reason: "has no tag column: training needs the token and its tag")
        }
        if let named = LabelScheme.namedLabels(id2label: id2label, count: numLabels) {
            try training.check(labels: named)
            self.init(names: named)
        } else {
            self.init(names: training.tagSet)
        }
    }

    public var count: Int { names.count }

    /// The id of `tag`, nil when it is not one of the tags.
    public func id(of tag: String) -> Int? { ids[tag] }

    /// The tag id of every word of a tagged sentence.
    /// - Throws: ``FineTuningError/badLine(file:line:reason:)`` naming `file` and the line of a
    ///   tag that is not one of the tags, or of an untagged sentence.
    public func ids(of sentence: CoNLLSentence, file: String) throws -> [Int] {
        guard let tags = sentence.tags else {
            throw FineTuningError.badLine(file: file, line: sentence.line, reason: "no tag column")
        }
        return try zip(tags, sentence.lines).map { tag, line in
            guard let id = ids[tag] else {
                throw FineTuningError.badLine(file: file, line: line, reason: "tag \"\(tag)\" is not in the labels \(names)")
            }
            return id
        }
    }

    /// `config` with these tags as its labels (`num_labels`, `id2label`; `label2id` is written
    /// from them).
    public func apply(to config: inout DistilBertConfig) {
        config.id2label = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset, $0.element) })
    }

    /// `config` with these tags as its labels (`num_labels`, `id2label`, `label2id`).
    public func apply(to config: inout BertConfig) {
        config.numLabels = names.count
        config.id2label = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset, $0.element) })
        config.label2id = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }
}
