// libFuzzer target: arbitrary bytes as vocab.txt, then a tokenizer built on it encodes a
// fixed sentence. Any error must be a typed TokenizationError.
import Foundation
import FuzzSupport
import Tokenization

let fuzzVocab: FuzzCallback = { data, size in
    guard let data else { return 0 }
    guard let vocabulary = try? Vocabulary(vocabTxt: Data(bytes: data, count: size), source: "fuzz") else { return 0 }
    if let tokenizer = try? BertTokenizer(vocabulary: vocabulary) {
        _ = try? tokenizer.encode("Hello, world! unaffable ñandú 東京", pair: "second")
    }
    return 0
}
