// libFuzzer target: arbitrary bytes as a SWAG-style multiple-choice file for `bert finetune choice`,
// read once as CSV (RFC 4180 quoting: quoted commas, doubled quotes, line breaks inside quotes,
// CRLF) and once as JSON Lines (SWAG keys or context/endings/label). Bad quoting, wrong field
// counts, odd JSON, labels outside 0..<N must give a typed FineTuningError naming the file and
// line, never a crash.
import BertKit
import Foundation
import FuzzSupport

let fuzzMultipleChoice: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("choice", ext: "txt", data, size) else { return 0 }
    for format in MultipleChoiceFile.Format.allCases {
        guard let file = try? MultipleChoiceFile(url: URL(fileURLWithPath: path), format: format) else { continue }
        for example in file.examples.prefix(64) {
            precondition(example.endings.count == file.choiceCount && example.choices.count == file.choiceCount)
            precondition((example.label == nil) != file.isLabelled)
            if let label = example.label { precondition((0..<file.choiceCount).contains(label)) }
        }
    }
    return 0
}
