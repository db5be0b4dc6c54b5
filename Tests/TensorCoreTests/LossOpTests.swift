import Foundation
import Testing
import TensorCore

/// crossEntropy (ignore index, reductions), mseLoss, binaryCrossEntropyWithLogits.
@Suite struct LossOpTests {
    /// Float64 per-row cross-entropy and d(sum of per-row losses · rowGrad)/dlogits.
    static func crossEntropyReference(_ logits: [Float], targets: [Int], classes: Int, ignore: Int)
        -> (loss: [Double], softmax: [Double]) {
        var loss = [Double](), softmax = [Double]()
        for (r, t) in targets.enumerated() {
            let row = (0..<classes).map { Double(logits[r * classes + $0]) }
            let m = row.max()!
            let s = row.map { Foundation.exp($0 - m) }.reduce(0, +)
            loss.append(t == ignore ? 0 : m + Foundation.log(s) - row[t])
            softmax += row.map { Foundation.exp($0 - m) / s }
        }
        return (loss, softmax)
    }

    @Test func crossEntropyEveryReductionWithIgnoredRows() {
        let classes = 7
        let logits = KernelCheck.uniform([6, classes], low: -8, high: 8)
        let targets = IntTensor([3, -100, 0, 6, -100, 2], shape: [6])
        let ref = Self.crossEntropyReference(logits.toArray(), targets: targets.values, classes: classes, ignore: -100)
        let counted = 4.0
        let none = crossEntropy(logits: logits, targets: targets, reduction: .none)
        KernelCheck.close(none, ref.loss, shape: [6], absolute: 2e-6, relative: 2e-6, "none")
        KernelCheck.close(crossEntropy(logits: logits, targets: targets, reduction: .sum), [ref.loss.reduce(0, +)],
                          shape: [], absolute: 1e-5, relative: 1e-6, "sum")
        KernelCheck.close(crossEntropy(logits: logits, targets: targets), [ref.loss.reduce(0, +) / counted],
                          shape: [], absolute: 1e-6, relative: 1e-6, "mean")

        // Gradient of the mean: (softmax - onehot) / counted on counted rows, 0 on ignored rows.
        let p = Parameter(logits)
        crossEntropy(logits: p.value, targets: targets).backward()
        var expected = ref.softmax
        for (r, t) in targets.values.enumerated() {
            for c in 0..<classes {
                expected[r * classes + c] = t == -100 ? 0 : (expected[r * classes + c] - (c == t ? 1 : 0)) / counted
            }
        }
        KernelCheck.close(p.grad!, expected, absolute: 1e-7, relative: 1e-5, "dlogits")
    }

    @Test func crossEntropyWithEveryTargetIgnoredIsZeroNotNaN() {
        let p = Parameter(KernelCheck.uniform([3, 4]))
        let targets = IntTensor(shape: [3], repeating: -100)
        let loss = crossEntropy(logits: p.value, targets: targets)
        #expect(loss.item == 0)
        loss.backward()
        #expect(p.grad!.toArray().allSatisfy { $0 == 0 })
        #expect(crossEntropy(logits: p.value, targets: targets, reduction: .sum).item == 0)
        // A custom ignore index.
        let custom = crossEntropy(logits: p.value, targets: IntTensor([2, 2, 1], shape: [3]), ignoreIndex: 2)
        let ref = Self.crossEntropyReference(p.value.toArray(), targets: [2, 2, 1], classes: 4, ignore: 2)
        KernelCheck.close(custom, [ref.loss[2]], absolute: 1e-6, relative: 1e-6, "ignoreIndex 2")
    }

    @Test func crossEntropyOnLargeAndExtremeLogits() {
        // Many rows (parallel path) and logits far outside exp's range.
        let rows = 200, classes = 500
        var logits = KernelCheck.uniform([rows, classes], low: -30, high: 30, seed: 9).toArray()
        logits[0] = 1e4
        logits[classes + 1] = -1e4
        var rng = RandomGenerator(seed: 4)
        let targets = (0..<rows).map { $0 % 13 == 0 ? -100 : rng.nextInt(below: classes) }
        let ref = Self.crossEntropyReference(logits, targets: targets, classes: classes, ignore: -100)
        let loss = crossEntropy(logits: Tensor(logits, shape: [rows, classes]), targets: IntTensor(targets, shape: [rows]),
                                reduction: .none)
        KernelCheck.close(loss, ref.loss, absolute: 1e-5, relative: 2e-6, "per-row loss")
    }

    @Test func crossEntropyGradientChecks() {
        let targets = IntTensor([1, -100, 3, 0], shape: [4])
        for reduction in [LossReduction.mean, .sum, .none] {
            KernelCheck.gradient("crossEntropy \(reduction)", inputs: [KernelCheck.uniform([4, 5])]) {
                crossEntropy(logits: $0[0], targets: targets, reduction: reduction)
            }
        }
        KernelCheck.gradient("crossEntropy transposed", inputs: [KernelCheck.transposedInput([4, 5])]) {
            crossEntropy(logits: $0[0], targets: targets)
        }
        KernelCheck.gradient("crossEntropy sliced 3-D", inputs: [KernelCheck.slicedInput([2, 2, 5])]) {
            crossEntropy(logits: $0[0], targets: IntTensor([4, 0, -100, 2], shape: [2, 2]))
        }
        KernelCheck.gradient("crossEntropy broadcast", inputs: [KernelCheck.uniform([1, 5])]) {
            crossEntropy(logits: $0[0].expand(to: [4, 5]), targets: targets)
        }
    }

    @Test func mseLossMatchesReferenceAndGradients() {
        let a = KernelCheck.uniform([3, 4], seed: 1), b = KernelCheck.uniform([3, 4], seed: 2)
        let diffs = zip(a.toArray(), b.toArray()).map { Double($0) - Double($1) }
        let squares = diffs.map { $0 * $0 }
        KernelCheck.close(mseLoss(a, b), [squares.reduce(0, +) / 12], absolute: 1e-6, relative: 1e-6, "mean")
        KernelCheck.close(mseLoss(a, b, reduction: .sum), [squares.reduce(0, +)], absolute: 1e-5, relative: 1e-6, "sum")
        KernelCheck.close(mseLoss(a, b, reduction: .none), squares, absolute: 1e-6, relative: 1e-6, "none")
        KernelCheck.gradient("mseLoss", inputs: [a, b]) { mseLoss($0[0], $0[1]) }
        KernelCheck.gradient("mseLoss transposed", inputs: [KernelCheck.transposedInput([3, 4]), b]) { mseLoss($0[0], $0[1]) }
    }

    @Test func binaryCrossEntropyWithLogitsIsStable() {
        let x = Tensor([-200, -30, -1, 0, 2, 40, 150, 3], shape: [2, 4])
        let y = Tensor([0, 1, 0.5, 1, 0, 0.25, 1, 0], shape: [2, 4])
        let expected = zip(x.toArray(), y.toArray()).map { (v, t) -> Double in
            let v = Double(v), t = Double(t)
            return max(v, 0) - v * t + Foundation.log1p(Foundation.exp(-abs(v)))
        }
        let none = binaryCrossEntropyWithLogits(x, y, reduction: .none)
        KernelCheck.close(none, expected, absolute: 1e-6, relative: 1e-6, "none")
        KernelCheck.close(binaryCrossEntropyWithLogits(x, y), [expected.reduce(0, +) / 8], absolute: 1e-5, relative: 1e-6, "mean")
        KernelCheck.close(binaryCrossEntropyWithLogits(x, y, reduction: .sum), [expected.reduce(0, +)], absolute: 1e-4, relative: 1e-6, "sum")
        let targets = KernelCheck.uniform([3, 4], low: 0, high: 1, seed: 3)
        for reduction in [LossReduction.mean, .sum, .none] {
            KernelCheck.gradient("bce \(reduction)", inputs: [KernelCheck.uniform([3, 4], low: -4, high: 4), targets]) {
                binaryCrossEntropyWithLogits($0[0], $0[1], reduction: reduction)
            }
        }
        KernelCheck.gradient("bce transposed", inputs: [KernelCheck.transposedInput([3, 4]), targets]) {
            binaryCrossEntropyWithLogits($0[0], $0[1])
        }
    }
}
