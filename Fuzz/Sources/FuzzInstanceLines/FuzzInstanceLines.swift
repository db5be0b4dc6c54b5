// libFuzzer target: arbitrary bytes as a pretraining instances `.jsonl` file (`bert pretraining-data
// --format jsonl`, google-research/bert's fields), read by `bert pretrain --data x.jsonl`, and the first
// instances batched. Malformed lines, unknown tokens and out-of-range positions must give a typed
// TrainingError naming the line, never a crash.
import BertKit
import Foundation
import FuzzSupport
import Tokenization

let vocabulary: Vocabulary = {
    do { return try Vocabulary(contentsOf: URL(fileURLWithPath: fuzzPretrainingVocabularyPath())) } catch {
        fatalError("FuzzInstanceLines needs FUZZ_PRETRAINING_VOCAB=<vocab.txt>: \(error)")
    }
}()

let fuzzInstanceLines: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("instances", ext: "jsonl", data, size) else { return 0 }
    let length: Int? = size > 0 && data[0] & 1 == 1 ? 32 : nil
    guard let source = try? InstanceLinesSource(url: URL(fileURLWithPath: path), vocabulary: vocabulary,
                                                sequenceLength: length) else { return 0 }
    if source.count > 0 { _ = try? source.batch(indices: Array(0..<min(source.count, 4))) }
    return 0
}
