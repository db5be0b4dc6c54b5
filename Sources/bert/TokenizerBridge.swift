import BertKit
import Foundation
import Tokenization

/// A model directory's encoder — BertModel, or DistilBertModel when config.json says
/// "model_type": "distilbert" (eval mode, every encoder weight loaded) — and its tokenizer, with every error
/// turned into a CLI message naming the missing or malformed file.
func loadEncoder(directory: String) throws -> (any SentenceEncoder, BertTokenizer) {
    do {
        let url = URL(fileURLWithPath: directory)
        if DistilBertModelDirectory.modelType(of: url) == "distilbert" {
            let dir = try DistilBertModelDirectory(url)
            return (try dir.loadDistilBertModel(), try dir.loadTokenizer())
        }
        let dir = try BertModelDirectory(url)
        return (try dir.loadBertModel(), try dir.loadTokenizer())
    } catch let error as BertError {
        throw CLIError(message: error.description)
    } catch let error as TokenizationError {
        throw CLIError(message: error.description)
    }
}

/// `[CLS] text [SEP]` ids, truncated to `maxLength` tokens.
func tokenIds(_ tokenizer: BertTokenizer, _ text: String, maxLength: Int) throws -> [Int] {
    var t = tokenizer
    t.truncation = Truncation(maxLength: maxLength)
    t.padding = nil
    return try t.encode(text).ids
}
