import BertKit
import Foundation
import TensorCore

extension PredictCommand {
    /// `bert predict --task choice`: a fine-tuned `BertForMultipleChoice` (or DistilBERT's) on a SWAG-style file.
    /// Writes `index<TAB>prediction<TAB>score` (the chosen ending and its softmax probability over
    /// the endings); prints `{"accuracy": …, "loss": …}` when the file is labelled.
    func predictChoice() throws {
        let source = try ModelSource(model)
        let loaded = try source.loadMultipleChoice()
        if let warning = loaded.warning { FileHandle.standardError.write(Data(("warning: " + warning + "\n").utf8)) }
        let file = try MultipleChoiceFile(url: URL(fileURLWithPath: input))
        let task = try MultipleChoiceTask(model: loaded.model, tokenizer: try source.tokenizer(), train: nil, eval: nil,
                                          maxLength: min(maxLength, source.maxPositions))
        let logits = try task.logits(try task.encode(file.examples))
        var text = "index\tprediction\tscore\n"
        for (k, row) in logits.enumerated() {
            let out = ClassifierOutput(row, labels: row.indices.map { String($0) })
            text += "\(k)\t\(out.index)\t\(out.score)\n"
        }
        try AtomicFile.write(to: output) { try $0.write(Array(text.utf8)) }
        if file.isLabelled {
            let e = MultipleChoiceTask.metrics(logits: logits, labels: file.examples.map { $0.label! })
            print("{" + e.metrics.map { "\"\($0.name)\": \(MetricValue.double($0.value).json)" }.joined(separator: ", ") + "}")
        }
    }
}
