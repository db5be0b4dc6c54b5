import BertKit
import Foundation
import TensorCore
import Tokenization

/// An HF model directory holding a sequence classifier or an encoder to put one on: BERT, or
/// DistilBERT when config.json says `"model_type": "distilbert"`.
enum ClassifierSource {
    case bert(BertModelDirectory)
    case distilBert(DistilBertModelDirectory)

    init(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        self = DistilBertModelDirectory.modelType(of: url) == "distilbert"
            ? .distilBert(try DistilBertModelDirectory(url)) : .bert(try BertModelDirectory(url))
    }

    var url: URL {
        switch self {
        case let .bert(d): return d.url
        case let .distilBert(d): return d.url
        }
    }

    var id2label: [Int: String] {
        switch self {
        case let .bert(d): return d.config.id2label
        case let .distilBert(d): return d.config.id2label
        }
    }

    var numLabels: Int {
        switch self {
        case let .bert(d): return d.config.numLabels
        case let .distilBert(d): return d.config.numLabels
        }
    }

    var problemType: ProblemType? {
        switch self {
        case let .bert(d): return d.config.problemType
        case let .distilBert(d): return d.config.problemType
        }
    }

    var maxPositions: Int {
        switch self {
        case let .bert(d): return d.config.maxPositionEmbeddings
        case let .distilBert(d): return d.config.maxPositionEmbeddings
        }
    }

    /// The directory's tokenizer, checked against config.json's vocabulary size.
    func tokenizer() throws -> BertTokenizer {
        let (tokenizer, size): (BertTokenizer, Int)
        switch self {
        case let .bert(d): (tokenizer, size) = (try d.loadTokenizer(), d.config.vocabSize)
        case let .distilBert(d): (tokenizer, size) = (try d.loadTokenizer(), d.config.vocabSize)
        }
        guard tokenizer.vocabulary.count == size else {
            let vocab = url.appendingPathComponent("vocab.txt")
            let file = FileManager.default.fileExists(atPath: vocab.path) ? vocab : url.appendingPathComponent("tokenizer.json")
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
        switch self {
        case let .bert(d):
            let loaded = try d.load(BertForSequenceClassification.self, numLabels: numLabels, seed: seed) { scheme?.apply(to: &$0) }
            return (loaded.model, loaded.warning)
        case let .distilBert(d):
            let loaded = try d.load(DistilBertForSequenceClassification.self, numLabels: numLabels, seed: seed) { scheme?.apply(to: &$0) }
            return (loaded.model, loaded.warning)
        }
    }
}
