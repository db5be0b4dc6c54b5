import BertKit
import Foundation
import TensorCore

let directory = try BertModelDirectory(URL(fileURLWithPath: "all-MiniLM-L6-v2"))  // config + weights + vocab
let model = try directory.loadBertModel()      // eval mode; strict: reports missing/unexpected/wrong-shape keys
let tokenizer = try directory.loadTokenizer()  // tokenizer.json: truncates and pads to 128 as the file says
let encodings = try tokenizer.encodeBatch(["A man is eating food.", "A man is eating bread."])
let vectors = try model.sentenceEmbeddings(encodings, pooling: .mean, normalize: true)  // [[Float]], 384 each
let cosine = zip(vectors[0], vectors[1]).reduce(0) { $0 + $1.0 * $1.1 }                // 0.7442
let input = try BertInput(encodings: encodings, config: model.config)  // ids, attention mask, type ids: [2, 128]
let output = withNoGrad { model(input) }                                // lastHiddenState [2, 128, 384]

// ---- Not in the README: print the results for Scripts/check_readme_output.py.
let hidden = output.lastHiddenState.contiguous()  // [2, T, H]
let (length, width) = (hidden.shape[1], hidden.shape[2])
let values = hidden.toArray()
let report: [String: Any] = [
    "program": "MyApp",
    "ids": encodings.map(\.ids),
    "attention_mask": encodings.map(\.attentionMask),
    "vectors": vectors.map { $0.map(Double.init) },
    "cosine": Double(cosine),
    "hidden_shape": hidden.shape,
    "cls_hidden_first8": (0..<hidden.shape[0]).map { i in values[(i * length * width)..<(i * length * width + 8)].map(Double.init) },
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
