import Foundation
import Testing
import BertKit

/// The GLUE metrics equal scikit-learn's and SciPy's on the cases of
/// Scripts/make_finetune_fixtures.py (Fixtures/finetune/metrics.json).
@Suite struct FineTuningMetricsTests {
    static var json: [String: Any] {
        let data = try! Data(contentsOf: fixturesURL("finetune").appendingPathComponent("metrics.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test func classificationMetricsEqualScikitLearn() {
        let cases = Self.json["classification"] as! [[String: Any]]
        #expect(cases.count == 5)
        for c in cases {
            let labels = c["labels"] as! [Int], predictions = c["predictions"] as! [Int]
            let accuracy = ClassificationMetrics.accuracy(predictions: predictions, labels: labels)
            #expect(abs(accuracy - (c["accuracy"] as! Double)) < 1e-12)
            let macro = ClassificationMetrics.macroF1(predictions: predictions, labels: labels)
            #expect(abs(macro - (c["f1_macro"] as! Double)) < 1e-12)
            let mcc = ClassificationMetrics.matthews(predictions: predictions, labels: labels)
            #expect(abs(mcc - (c["matthews"] as! Double)) < 1e-12, "mcc \(mcc) vs \(c["matthews"]!)")
            if let f1 = c["f1"] as? Double {
                #expect(abs(ClassificationMetrics.f1(predictions: predictions, labels: labels) - f1) < 1e-12)
            }
        }
    }

    @Test func correlationsEqualSciPy() {
        let cases = Self.json["regression"] as! [[String: Any]]
        #expect(cases.count == 3)
        for c in cases {
            let x = c["x"] as! [Double], y = c["y"] as! [Double]
            #expect(abs(ClassificationMetrics.pearson(x, y) - (c["pearson"] as! Double)) < 1e-12)
            #expect(abs(ClassificationMetrics.spearman(x, y) - (c["spearman"] as! Double)) < 1e-12)
        }
    }
}
