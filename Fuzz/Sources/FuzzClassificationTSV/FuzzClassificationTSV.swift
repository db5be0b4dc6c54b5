// libFuzzer target: arbitrary bytes as a GLUE-style TSV file for `bert finetune classify` (header
// row naming the columns), read with the columns found from the header, and its label scheme built
// (classes or regression). Wrong column counts, empty files and odd labels must give a typed
// FineTuningError naming the file and line, never a crash.
import BertKit
import Foundation
import FuzzSupport

let fuzzClassificationTSV: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("classification", ext: "tsv", data, size) else { return 0 }
    guard let file = try? ClassificationFile(url: URL(fileURLWithPath: path)) else { return 0 }
    if let scheme = try? LabelScheme(training: file.examples, file: path, config: BertConfig()) {
        for example in file.examples.prefix(64) { _ = try? scheme.target(for: example, file: path) }
    }
    return 0
}
