import Foundation
import Tokenization

var tokenizer = try BertTokenizer(vocabularyFile: URL(fileURLWithPath: "vocab.txt"))   // uncased
let e = try tokenizer.encode("Who was Jim Henson?", pair: "Jim Henson was a puppeteer")
print(e.ids, e.typeIds)                                    // [101, 2040, …, 102] [0, 0, …, 1, 1]
print(e.offsets[1], e.wordIds[1] ?? -1)                    // 0..<3 0: "Who", offsets in Unicode code points
tokenizer.truncation = Truncation(maxLength: 16, strategy: .onlySecond, stride: 4)
tokenizer.padding = Padding(strategy: .longest)
let batch = try tokenizer.encodeBatch(["first text", "a second, longer text"])   // all cores, padded to 7

// ---- Not in the README: print the results for Scripts/check_readme_output.py.
let report: [String: Any] = [
    "program": "TokenizerExample",
    "pair": ["ids": e.ids, "type_ids": e.typeIds, "offsets": e.offsets.map { [$0.lowerBound, $0.upperBound] },
             "word_ids": e.wordIds.map { $0.map { $0 as Any } ?? NSNull() }],
    "batch": ["ids": batch.map(\.ids), "attention_mask": batch.map(\.attentionMask)],
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
