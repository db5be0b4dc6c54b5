import BertKit
import Foundation
import Tokenization

/// A model directory's BertModel (eval mode, strict load) and its tokenizer, with every error
/// turned into a CLI message naming the missing or malformed file.
func loadEncoder(directory: String) throws -> (BertModel, BertTokenizer) {
    do {
        let dir = try BertModelDirectory(URL(fileURLWithPath: directory))
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
