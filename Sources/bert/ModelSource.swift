import BertKit
import Foundation
import TensorCore
import Tokenization

/// An HF model directory holding a task model or an encoder to put one on: BERT, or DistilBERT
/// when config.json says `"model_type": "distilbert"`.
struct ModelSource {
    enum Directory {
        case bert(BertModelDirectory)
        case distilBert(DistilBertModelDirectory)
    }

    let directory: Directory
    let url: URL
    /// config.json's labels, label count, problem type and position-table size.
    let id2label: [Int: String]
    let numLabels: Int
    let problemType: ProblemType?
    let maxPositions: Int

    init(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        self.url = url
        if DistilBertModelDirectory.modelType(of: url) == "distilbert" {
            let d = try DistilBertModelDirectory(url)
            directory = .distilBert(d)
            (id2label, numLabels, problemType, maxPositions) =
                (d.config.id2label, d.config.numLabels, d.config.problemType, d.config.maxPositionEmbeddings)
        } else {
            let d = try BertModelDirectory(url)
            directory = .bert(d)
            (id2label, numLabels, problemType, maxPositions) =
                (d.config.id2label, d.config.numLabels, d.config.problemType, d.config.maxPositionEmbeddings)
        }
    }

    /// The directory's tokenizer, checked against config.json's vocabulary size.
    func tokenizer() throws -> BertTokenizer {
        let (tokenizer, size): (BertTokenizer, Int)
        switch directory {
        case let .bert(d): (tokenizer, size) = (try d.loadTokenizer(), d.config.vocabSize)
        case let .distilBert(d): (tokenizer, size) = (try d.loadTokenizer(), d.config.vocabSize)
        }
        guard tokenizer.vocabulary.count == size else {
            let file = BertModelDirectory.tokenizerFile(in: url) ?? url  // the file loadTokenizer() read
            throw FineTuningError.modelMismatch("\(file.path) has \(tokenizer.vocabulary.count) tokens, "
                + "config.json says vocab_size \(size): the tokenizer is not the model's")
        }
        return tokenizer
    }

    /// The classifier, its head loaded or newly initialised from `seed` (with `scheme`'s labels
    /// when given), and the warning `from_pretrained` prints for the same load.
    func load(numLabels: Int? = nil, seed: UInt64 = 0, scheme: LabelScheme? = nil) throws
        -> (model: any SequenceClassifierModel, warning: String?)
    {
        switch directory {
        case let .bert(d):
            let loaded = try d.load(BertForSequenceClassification.self, numLabels: numLabels, seed: seed) { scheme?.apply(to: &$0) }
            return (loaded.model, loaded.warning)
        case let .distilBert(d):
            let loaded = try d.load(DistilBertForSequenceClassification.self, numLabels: numLabels, seed: seed) { scheme?.apply(to: &$0) }
            return (loaded.model, loaded.warning)
        }
    }

    /// The question-answering reader, its `qa_outputs` loaded or newly initialised from `seed`,
    /// and the warning `from_pretrained` prints for the same load.
    func loadQuestionAnswering(seed: UInt64 = 0) throws -> (model: any QuestionAnsweringModel, warning: String?) {
        switch directory {
        case let .bert(d):
            let loaded = try d.load(BertForQuestionAnswering.self, seed: seed)
            return (loaded.model, loaded.warning)
        case let .distilBert(d):
            let loaded = try d.load(DistilBertForQuestionAnswering.self, seed: seed)
            return (loaded.model, loaded.warning)
        }
    }

    /// The fill-mask pipeline on the directory's masked-LM head.
    func fillMask() throws -> FillMask {
        switch directory {
        case let .bert(d): try FillMask(directory: d)
        case let .distilBert(d): try FillMask(directory: d)
        }
    }

    /// The token classifier with `tags` as its labels, its head loaded or newly initialised from
    /// `seed` (nil tags: config.json's labels), and the warning `from_pretrained` prints.
    func loadTokenClassifier(tags: TagScheme? = nil, seed: UInt64 = 0) throws -> (model: any TokenClassifierModel, warning: String?) {
        switch directory {
        case let .bert(d):
            let loaded = try d.load(BertForTokenClassification.self, numLabels: tags?.count, seed: seed) { tags?.apply(to: &$0) }
            return (loaded.model, loaded.warning)
        case let .distilBert(d):
            let loaded = try d.load(DistilBertForTokenClassification.self, numLabels: tags?.count, seed: seed) { tags?.apply(to: &$0) }
            return (loaded.model, loaded.warning)
        }
    }

    /// The multiple-choice scorer, its head loaded or newly initialised from `seed`, and the
    /// warning `from_pretrained` prints.
    func loadMultipleChoice(seed: UInt64 = 0) throws -> (model: any MultipleChoiceModel, warning: String?) {
        switch directory {
        case let .bert(d):
            let loaded = try d.load(BertForMultipleChoice.self, seed: seed)
            return (loaded.model, loaded.warning)
        case let .distilBert(d):
            let loaded = try d.load(DistilBertForMultipleChoice.self, seed: seed)
            return (loaded.model, loaded.warning)
        }
    }
}
