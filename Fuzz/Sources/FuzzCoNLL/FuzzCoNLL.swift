// libFuzzer target: arbitrary bytes as a CoNLL column file for `bert finetune tag` (token first,
// tag last, blank lines between sentences), read tagged and words-only, its tag scheme built and
// every sentence's tag ids looked up. Short lines, odd column counts, empty files and unknown
// tags must give a typed FineTuningError naming the file and line, never a crash.
import BertKit
import Foundation
import FuzzSupport

let fuzzCoNLL: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("conll", ext: "conll", data, size) else { return 0 }
    let url = URL(fileURLWithPath: path)
    _ = try? CoNLLFile(url: url, requireTags: false)
    _ = try? CoNLLFile(url: url, tagColumn: 1, labels: ["O", "B-PER", "I-PER"])
    guard let file = try? CoNLLFile(url: url) else { return 0 }
    if let tags = try? TagScheme(training: file, config: BertConfig()) {
        for sentence in file.sentences.prefix(64) { _ = try? tags.ids(of: sentence, file: path) }
    }
    return 0
}
