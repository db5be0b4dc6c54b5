// libFuzzer target: arbitrary bytes as a raw-text pretraining corpus (one sentence per line, blank
// lines between documents), prepared into masked instances as `bert pretrain --data corpus/` does,
// with and without sentence splitting and whole-word masking. Invalid UTF-8, empty documents and
// endless lines must give instances or a typed PretrainingError, never a crash.
import BertKit
import Foundation
import FuzzSupport
import Tokenization

let tables: PretrainingVocabulary = {
    do { return try PretrainingVocabulary(vocabulary: try Vocabulary(contentsOf: URL(fileURLWithPath: fuzzPretrainingVocabularyPath()))) } catch {
        fatalError("FuzzPretrainingText needs FUZZ_PRETRAINING_VOCAB=<vocab.txt>: \(error)")
    }
}()

let fuzzPretrainingText: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("pretraining-text", ext: "txt", data, size) else { return 0 }
    let variant = size > 0 ? data[0] : 0
    _ = try? RawTextInstances.prepare(paths: [path], vocabulary: tables, maxSeqLength: 16 + Int(variant % 3) * 16,
                                      maxPredictions: 5, seed: Int(variant), staticMasks: variant & 1 == 0,
                                      wholeWordMask: variant & 2 != 0, splitSentences: variant & 4 != 0)
    return 0
}
