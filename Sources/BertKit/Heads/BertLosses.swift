import TensorCore

/// Label checks and the loss formulas the heads share (HF semantics).
enum BertLoss {
    /// Mean cross-entropy over rows whose target is not `ignoreIndex`; 0 (no NaN) when every
    /// row is ignored. logits [N, C], targets N values.
    static func meanCrossEntropy(_ logits: Tensor, _ targets: [Int], ignoreIndex: Int = -100) -> Tensor {
        if targets.allSatisfy({ $0 == ignoreIndex }) { return (logits * 0).sum() }
        return crossEntropy(logits: logits, targets: IntTensor(targets, shape: [targets.count]),
                                       ignoreIndex: ignoreIndex)
    }

    /// Throws unless every label is `ignoreIndex` or in 0..<classes.
    static func checkClassLabels(_ labels: IntTensor, classes: Int, shape: [Int], name: String,
                                 ignoreIndex: Int? = -100) throws {
        guard labels.shape == shape else {
            throw BertError.invalidInput("\(name) shape \(labels.shape) does not match \(shape)")
        }
        if let bad = labels.values.first(where: { !(0..<classes).contains($0) && $0 != ignoreIndex }) {
            throw BertError.invalidInput("\(name) contains \(bad), outside 0..<\(classes)"
                + (ignoreIndex.map { " (or \($0) to ignore)" } ?? ""))
        }
    }
}
