// libFuzzer target: arbitrary bytes as a SQuAD v1.1 / v2.0 JSON file for `bert finetune qa`
// (data → paragraphs → context, qas → id, question, answers). Malformed JSON, missing or mistyped
// fields, duplicate ids and answer offsets outside the context must give a typed FineTuningError
// naming the file, never a crash; what reads is counted as the task would (answers that match).
import BertKit
import Foundation
import FuzzSupport

let fuzzSquad: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("squad", ext: "json", data, size) else { return 0 }
    guard let file = try? SquadFile(url: URL(fileURLWithPath: path)) else { return 0 }
    _ = file.examples.filter(\.answerMatchesContext).count
    return 0
}
