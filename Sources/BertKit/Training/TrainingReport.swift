import Foundation

/// `report.svg`: the curves of a run drawn from its `metrics.jsonl` records — training loss,
/// MLM and NSP loss by step, and held-out perplexity by step — as one self-contained SVG that
/// any browser opens. Rewritten after every evaluation and at the end of the run.
///
/// ```swift
/// let svg = TrainingReport.svg(records: try MetricsLog.read(output.appendingPathComponent("metrics.jsonl")))
/// try TrainingReport.write(metrics: metricsURL, to: output.appendingPathComponent("report.svg"))
/// ```
public enum TrainingReport {
    struct Series { var name: String; var color: String; var points: [(Double, Double)] }

    /// The SVG of `records` (train records: `loss`, `mlm_loss`, `nsp_loss`; eval records:
    /// `eval_perplexity`).
    public static func svg(records: [[String: Any]], title: String = "pretraining") -> String {
        func points(_ kind: String, _ key: String) -> [(Double, Double)] {
            records.compactMap { r in
                guard r["kind"] as? String == kind, let step = r["step"] as? Int, let v = r[key] as? Double, v.isFinite else { return nil }
                return (Double(step), v)
            }
        }
        let losses = [Series(name: "loss", color: "#1f77b4", points: points("train", "loss")),
                      Series(name: "mlm loss", color: "#ff7f0e", points: points("train", "mlm_loss")),
                      Series(name: "nsp loss", color: "#2ca02c", points: points("train", "nsp_loss"))]
        let perplexity = [Series(name: "held-out perplexity", color: "#d62728", points: points("eval", "eval_perplexity"))]
        let width = 760.0, height = 640.0
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"380\" y=\"22\" text-anchor=\"middle\" font-size=\"16\">\(escape(title))</text>\n"
        out += panel(losses, x: 70, y: 50, width: 660, height: 240, title: "training loss by step", logY: false)
        out += panel(perplexity, x: 70, y: 350, width: 660, height: 240, title: "held-out perplexity by step (log scale)", logY: true)
        return out + "</svg>\n"
    }

    /// Reads `metrics` and writes the SVG atomically to `url`.
    public static func write(metrics: URL, to url: URL, title: String = "pretraining") throws {
        let text = svg(records: try MetricsLog.read(metrics), title: title)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw TrainingError.invalidSetting("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    static func panel(_ series: [Series], x: Double, y: Double, width: Double, height: Double, title: String,
                      logY: Bool) -> String {
        var out = "<text x=\"\(f(x + width / 2))\" y=\"\(f(y - 8))\" text-anchor=\"middle\">\(escape(title))</text>\n"
        out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#888\"/>\n"
        let all = series.flatMap(\.points).filter { !logY || $0.1 > 0 }
        guard let first = all.first else {
            return out + "<text x=\"\(f(x + width / 2))\" y=\"\(f(y + height / 2))\" text-anchor=\"middle\" fill=\"#888\">no data yet</text>\n"
        }
        let ty: (Double) -> Double = logY ? { log10($0) } : { $0 }
        var (x0, x1, y0, y1) = (first.0, first.0, ty(first.1), ty(first.1))
        for (px, py) in all { x0 = min(x0, px); x1 = max(x1, px); y0 = min(y0, ty(py)); y1 = max(y1, ty(py)) }
        if x1 == x0 { x1 = x0 + 1 }
        if y1 == y0 { y0 -= 0.5; y1 += 0.5 }
        let sx = { (v: Double) in x + (v - x0) / (x1 - x0) * width }
        let sy = { (v: Double) in y + height - (ty(v) - y0) / (y1 - y0) * height }
        let label = { (v: Double) in logY ? pow(10, v) : v }
        for k in 0...4 {
            let value = y0 + (y1 - y0) * Double(k) / 4, yy = y + height - height * Double(k) / 4
            out += "<line x1=\"\(f(x))\" x2=\"\(f(x + width))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(f(x - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(number(label(value)))</text>\n"
            let step = x0 + (x1 - x0) * Double(k) / 4
            out += "<text x=\"\(f(x + width * Double(k) / 4))\" y=\"\(f(y + height + 16))\" text-anchor=\"middle\">\(Int(step.rounded()))</text>\n"
        }
        for (k, s) in series.enumerated() where !s.points.isEmpty {
            let path = s.points.filter { !logY || $0.1 > 0 }.map { "\(f(sx($0.0))),\(f(sy($0.1)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            if s.points.count <= 60 {
                for p in s.points where !logY || p.1 > 0 {
                    out += "<circle cx=\"\(f(sx(p.0)))\" cy=\"\(f(sy(p.1)))\" r=\"2.5\" fill=\"\(s.color)\"/>"
                }
                out += "\n"
            }
            let ly = y + 16 + 16 * Double(k)
            out += "<text x=\"\(f(x + width - 8))\" y=\"\(f(ly))\" text-anchor=\"end\" fill=\"\(s.color)\">\(escape(s.name))"
                + " (last \(number(s.points.last!.1)))</text>\n"
        }
        return out
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func number(_ v: Double) -> String {
        abs(v) >= 100 ? String(format: "%.0f", v) : abs(v) >= 1 ? String(format: "%.2f", v) : String(format: "%.3g", v)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
