import Foundation

/// The one line a person watches during training:
/// `step 120/1000  loss 7.1234  mlm 6.51 acc 0.051  nsp 0.693 acc 0.52  lr 1.00e-04  85.3 seq/s  ETA 3m12s`.
/// On a terminal it is rewritten in place (`\r`); otherwise each update is a plain line.
///
/// ```swift
/// var progress = ProgressLine(totalSteps: 1000)
/// progress.update(result, sequencesPerSecond: 85.3, secondsPerStep: 0.4)
/// ```
public struct ProgressLine {
    public let totalSteps: Int
    /// Rewrite one line in place (standard error is a terminal).
    public let inPlace: Bool
    private let write: (String) -> Void

    public init(totalSteps: Int, inPlace: Bool = isatty(2) != 0,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.totalSteps = totalSteps
        self.inPlace = inPlace
        self.write = write
    }

    /// The text of the line for `result`.
    public func text(_ r: PretrainingStepResult, sequencesPerSecond: Double, secondsPerStep: Double) -> String {
        let eta = Self.duration(Double(totalSteps - r.step) * secondsPerStep)
        return "step \(r.step)/\(totalSteps)  loss \(Self.fixed(r.loss, 4))  mlm \(Self.fixed(r.mlmLoss, 3)) acc "
            + "\(Self.fixed(r.mlmAccuracy, 3))  nsp \(Self.fixed(r.nspLoss, 3)) acc \(Self.fixed(r.nspAccuracy, 2))  "
            + "lr \(String(format: "%.2e", r.learningRate))  \(Self.fixed(sequencesPerSecond, 1)) seq/s  ETA \(eta)"
            + (r.skipped ? "  (skipped: non-finite)" : "")
    }

    /// Shows `result`.
    public func update(_ result: PretrainingStepResult, sequencesPerSecond: Double, secondsPerStep: Double) {
        let line = text(result, sequencesPerSecond: sequencesPerSecond, secondsPerStep: secondsPerStep)
        write(inPlace ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Shows `step s/N  <body>  ETA …` — the line of any other trainer (fine-tuning).
    public func update(step: Int, body: String, secondsPerStep: Double) {
        let line = "step \(step)/\(totalSteps)  \(body)  ETA \(Self.duration(Double(totalSteps - step) * secondsPerStep))"
        write(inPlace ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Prints a message on its own line (ending an in-place line first).
    public func message(_ text: String) {
        write((inPlace ? "\r\u{1B}[K" : "") + text + "\n")
    }

    /// Ends the in-place line.
    public func finish() { if inPlace { write("\n") } }

    static func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    /// `3m12s`, `1h04m`, `42s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
