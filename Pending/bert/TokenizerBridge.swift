import BertKit
import Foundation
import Tokenization

/// Loads a model directory and a matching tokenizer; the closure encodes one text with
/// [CLS]/[SEP], truncated to the given maximum length.
func loadEncoder(directory: String) throws -> (BertModel, (String, Int) throws -> [Int]) {
    let dir = try BertModelDirectory(URL(fileURLWithPath: directory))
    let model = try dir.loadBertModel()
    let tokenizer = try BertTokenizer(contentsOf: dir.vocabularyURL)  // TODO: wire to Tokenization's API
    return (model, { text, maxLength in try tokenizer.encode(text, maxLength: maxLength).ids })
}
