import Foundation
import TensorCore

/// The GLUE metrics, computed as scikit-learn and SciPy compute them (checked against
/// `Scripts/make_finetune_fixtures.py`).
///
/// ```swift
/// ClassificationMetrics.accuracy(predictions: [1, 0, 1], labels: [1, 1, 1])   // 0.667
/// ClassificationMetrics.spearman([1, 2, 3], [1, 3, 2])                         // 0.5
/// ```
public enum ClassificationMetrics {
    /// Fraction of equal pairs (`accuracy_score`).
    public static func accuracy(predictions: [Int], labels: [Int]) -> Double {
        check(predictions.count == labels.count && !labels.isEmpty, "accuracy: \(predictions.count) predictions, \(labels.count) labels")
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// F1 of class `positive` (`f1_score(average="binary")`); 0 when it has no true positive.
    public static func f1(predictions: [Int], labels: [Int], positive: Int = 1) -> Double {
        var tp = 0.0, fp = 0.0, fn = 0.0
        for (p, l) in zip(predictions, labels) {
            if p == positive && l == positive { tp += 1 } else if p == positive { fp += 1 } else if l == positive { fn += 1 }
        }
        return tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)
    }

    /// Unweighted mean of the per-class F1 over `classes` (`f1_score(average="macro")` with the
    /// classes present in labels or predictions).
    public static func macroF1(predictions: [Int], labels: [Int]) -> Double {
        let classes = Set(predictions).union(labels).sorted()
        guard !classes.isEmpty else { return 0 }
        return classes.map { f1(predictions: predictions, labels: labels, positive: $0) }.reduce(0, +) / Double(classes.count)
    }

    /// Matthews correlation coefficient, multi-class form (`matthews_corrcoef`); 0 when undefined.
    public static func matthews(predictions: [Int], labels: [Int]) -> Double {
        let classes = Set(predictions).union(labels).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let k = classes.count
        var t = [Double](repeating: 0, count: k), p = [Double](repeating: 0, count: k)
        var correct = 0.0
        for (pr, l) in zip(predictions, labels) {
            t[index[l]!] += 1
            p[index[pr]!] += 1
            if pr == l { correct += 1 }
        }
        let s = Double(labels.count)
        let tp = zip(t, p).reduce(0) { $0 + $1.0 * $1.1 }
        let covYtYp = correct * s - tp
        let covYpYp = s * s - p.reduce(0) { $0 + $1 * $1 }
        let covYtYt = s * s - t.reduce(0) { $0 + $1 * $1 }
        guard covYpYp * covYtYt != 0 else { return 0 }
        return covYtYp / (covYtYt * covYpYp).squareRoot()
    }

    /// Pearson's r (`scipy.stats.pearsonr`); NaN when either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        check(x.count == y.count && x.count > 1, "pearson: \(x.count) and \(y.count) values")
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return max(-1, min(1, sxy / (sxx.squareRoot() * syy.squareRoot())))
    }

    /// Spearman's ρ: Pearson's r of the average ranks (`scipy.stats.spearmanr`, ties averaged).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks, tied values sharing their average rank (`scipy.stats.rankdata`).
    public static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var out = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { out[order[k]] = rank }
            i = j + 1
        }
        return out
    }
}
