// libFuzzer target: arbitrary bytes as tokenizer.json (JSON parser, model, normalizer,
// added tokens, post-processor, truncation, padding), then a batch encode with whatever
// truncation and padding the file declares. Any error must be a typed TokenizationError.
import Foundation
import FuzzSupport
import Tokenization

let fuzzTokenizerJSON: FuzzCallback = { data, size in
    guard let data else { return 0 }
    guard let tokenizer = try? BertTokenizer(tokenizerJSON: Data(bytes: data, count: size), source: "fuzz") else {
        return 0
    }
    _ = try? tokenizer.encodeBatch(["Hello, world!", "a b c d e f g h"])
    _ = try? tokenizer.encode("first", pair: "second sentence here")
    return 0
}
