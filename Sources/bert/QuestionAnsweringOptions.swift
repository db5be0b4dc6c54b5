import ArgumentParser
import BertKit

/// The flags of extractive question answering shared by `bert finetune qa` and `bert predict --task qa`.
struct QuestionAnsweringOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Tokens of overlap between consecutive context windows (HF's tokenizer stride, as run_qa.py's --doc_stride; "
            + "Google's run_squad.py --doc_stride is the step between window starts instead). Default: --max-length / 3 "
            + "(128 at HF's 384).", valueName: "tokens"))
    var docStride: Int?
    @Option(help: "Questions longer than this many tokens are cut at the last whole word that fits (as Google; HF has no limit).")
    var maxQueryLength = 64
    @Option(help: "Best start and end indices tried per window, and n-best answers written per question.")
    var nBest = 20
    @Option(help: "Longest answer, in tokens.") var maxAnswerLength = 30
    @Flag(name: .customLong("version-2-with-negative"), help: "SQuAD v2: questions may have no answer (the null answer competes).")
    var versionTwoWithNegative = false
    @Option(help: "SQuAD v2: answer \"\" when null score − best span score exceeds this.") var nullScoreDiffThreshold: Float = 0
    @Flag(help: "Google's max-context rule: keep a span only from the window where its start token has the most context (HF: off).")
    var maxContext = false

    func validate() throws {
        try FlagLimits.range("--max-query-length", maxQueryLength, 1...FlagLimits.maxSequence)
        try FlagLimits.range("--n-best", nBest, 1...FlagLimits.maxSequence)
        try FlagLimits.range("--max-answer-length", maxAnswerLength, 1...FlagLimits.maxSequence)
        if let docStride { try FlagLimits.range("--doc-stride", docStride, 0...FlagLimits.maxSequence) }
        guard nullScoreDiffThreshold.isFinite else { throw ValidationError("--null-score-diff-threshold must be a finite number") }
    }

    /// Window settings for `maxLength` tokens per window.
    func settings(maxLength: Int) -> QuestionAnsweringSettings {
        QuestionAnsweringSettings(maxLength: maxLength, docStride: docStride ?? maxLength / 3, maxQueryLength: maxQueryLength)
    }

    var postprocess: QuestionAnsweringPostprocessSettings {
        QuestionAnsweringPostprocessSettings(nBest: nBest, maxAnswerLength: maxAnswerLength, versionTwoWithNegative: versionTwoWithNegative,
                                             nullScoreDiffThreshold: nullScoreDiffThreshold, useMaxContext: maxContext)
    }

    /// The notes a person should see about the data (stderr).
    static func notes(_ task: QuestionAnsweringTask) -> [String] {
        var out: [String] = []
        if !task.skippedTrainingQuestions.isEmpty {
            out.append("warning: skipped \(task.skippedTrainingQuestions.count) training questions whose answer text is not the context "
                + "at answer_start (first: \(task.skippedTrainingQuestions[0]))")
        }
        if !task.truncatedQuestions.isEmpty {
            out.append("note: cut \(task.truncatedQuestions.count) questions to --max-query-length tokens (first: \(task.truncatedQuestions[0]))")
        }
        return out
    }
}
