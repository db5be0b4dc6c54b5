import Foundation

/// The official SQuAD metrics: `evaluate-v1.1.py` (exact match and token F1, each the maximum
/// over the ground truths, in percent) and `evaluate-v2.0.py` (the same with no-answer
/// questions, whose only ground truth is "", and HasAns / NoAns breakdowns).
///
/// Answers are normalised as the scripts do, with Python's string semantics on Unicode scalars:
/// lowercase (full mappings, final sigma as `str.lower`), drop ASCII punctuation (`string.punctuation`), replace the words a / an / the
/// (`\b(a|an|the)\b`, Python's Unicode word characters) by a space, split on Python whitespace
/// and join with single spaces. The two scripts differ only in F1 when a side has no token
/// (v1.1: 0; v2.0: 1 when both are empty).
///
/// ```swift
/// SquadMetrics.normalize("The Eiffel  Tower!")                               // "eiffel tower"
/// SquadMetrics.f1(prediction: "the tower", truth: "Eiffel Tower", version2: false)   // 0.667
/// let e = SquadMetrics.evaluate(examples: dev.examples, predictions: ["q1": "Paris"], version2: false)
/// e["exact_match"]; e["f1"]
/// ```
public enum SquadMetrics {
    static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// Python's `str.isspace`: bidirectional WS, B, S or category Zs.
    static func isPythonSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `\w` on `str`: alphanumeric (letters, any numeric character) or underscore.
    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }

    static let articles: Set<[Unicode.Scalar]> = [Array("a".unicodeScalars), Array("an".unicodeScalars), Array("the".unicodeScalars)]

    /// The normalised answer's tokens, as scalar arrays (compared exactly, not by canonical
    /// equivalence, as Python compares strings).
    static func tokens(_ text: String) -> [[Unicode.Scalar]] {
        let scalars = Array(text.unicodeScalars)
        var lowered: [Unicode.Scalar] = []
        for (i, s) in scalars.enumerated() {
            if s == "\u{03A3}" { lowered.append(isFinalSigma(scalars, i) ? "\u{03C2}" : "\u{03C3}"); continue }
            lowered += s.properties.lowercaseMapping.unicodeScalars
        }
        let kept = lowered.filter { !punctuation.contains($0) }
        // A match of \b(a|an|the)\b is a whole run of word characters equal to an article.
        var spaced: [Unicode.Scalar] = []
        var i = 0
        while i < kept.count {
            guard isWordCharacter(kept[i]) else { spaced.append(kept[i]); i += 1; continue }
            var j = i
            while j < kept.count && isWordCharacter(kept[j]) { j += 1 }
            let run = Array(kept[i..<j])
            if articles.contains(run) { spaced.append(" ") } else { spaced += run }
            i = j
        }
        return spaced.split(whereSeparator: isPythonSpace).map(Array.init)
    }

    /// Python's `str.lower` rule for Σ: final (ς) when a cased letter precedes it and none follows,
    /// case-ignorable characters skipped on both sides.
    static func isFinalSigma(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        j = i + 1
        while j < s.count && s[j].properties.isCaseIgnorable { j += 1 }
        return j == s.count || !s[j].properties.isCased
    }

    /// The script's `normalize_answer`.
    public static func normalize(_ text: String) -> String {
        tokens(text).map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
    }

    /// 1 when the normalised texts are equal.
    public static func exactMatch(prediction: String, truth: String) -> Double {
        tokens(prediction) == tokens(truth) ? 1 : 0
    }

    /// Token F1 of the normalised texts (v1.1: 0 when either has no token; v2.0: 1 when both
    /// have none, 0 when one has none).
    public static func f1(prediction: String, truth: String, version2: Bool) -> Double {
        let p = tokens(prediction), g = tokens(truth)
        if version2 && (p.isEmpty || g.isEmpty) { return p == g ? 1 : 0 }
        var counts: [[Unicode.Scalar]: Int] = [:]
        for t in g { counts[t, default: 0] += 1 }
        var same = 0
        for t in p where (counts[t] ?? 0) > 0 {
            counts[t]! -= 1
            same += 1
        }
        guard same > 0 else { return 0 }
        let precision = 1.0 * Double(same) / Double(p.count), recall = 1.0 * Double(same) / Double(g.count)
        return (2 * precision * recall) / (precision + recall)
    }

    /// The official scores of `predictions` (id → answer) on `examples`. A question without a
    /// prediction scores 0 (v1.1 counts it, as the script does; v2.0 counts it too, as a wrong
    /// answer, where the script would leave it out of the total).
    ///
    /// v1.1: `exact_match`, `f1` (percent). v2.0: `exact`, `f1`, `total`, and `HasAns_exact`,
    /// `HasAns_f1`, `HasAns_total`, `NoAns_…` for the questions with and without answers.
    /// The primary metric is `f1`.
    public static func evaluate(examples: [SquadExample], predictions: [String: String], version2: Bool) -> TaskEvaluation {
        var exact: [Double] = [], f1: [Double] = [], hasAnswer: [Bool] = []
        for example in examples {
            let prediction = predictions[example.id]
            var truths = example.answers.map(\.text)
            if version2 {
                truths = truths.filter { !tokens($0).isEmpty }
                if truths.isEmpty { truths = [""] }
            }
            hasAnswer.append(!example.answers.isEmpty)
            guard let prediction else { exact.append(0); f1.append(0); continue }
            exact.append(truths.map { exactMatch(prediction: prediction, truth: $0) }.max() ?? 0)
            f1.append(truths.map { Self.f1(prediction: prediction, truth: $0, version2: version2) }.max() ?? 0)
        }
        func percent(_ v: [Double], _ keep: (Int) -> Bool) -> (Double, Int) {
            let picked = v.indices.filter(keep)
            return (picked.isEmpty ? 0 : 100.0 * picked.reduce(0.0) { $0 + v[$1] } / Double(picked.count), picked.count)
        }
        guard version2 else {
            return TaskEvaluation(metrics: [("exact_match", percent(exact) { _ in true }.0), ("f1", percent(f1) { _ in true }.0)],
                                  primary: "f1")
        }
        var metrics: [(name: String, value: Double)] = [("exact", percent(exact) { _ in true }.0), ("f1", percent(f1) { _ in true }.0),
                                                        ("total", Double(examples.count))]
        for (name, wanted) in [("HasAns", true), ("NoAns", false)] where hasAnswer.contains(wanted) {
            let (e, n) = percent(exact) { hasAnswer[$0] == wanted }
            metrics += [("\(name)_exact", e), ("\(name)_f1", percent(f1) { hasAnswer[$0] == wanted }.0), ("\(name)_total", Double(n))]
        }
        return TaskEvaluation(metrics: metrics, primary: "f1")
    }
}
