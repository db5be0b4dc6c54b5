import Foundation
import Testing
import TensorCore

/// softmax / logSoftmax: Float64 references along every axis, masked rows, gradients.
@Suite struct SoftmaxOpTests {
    /// Float64 (log-)softmax of row-major `values` with `shape` along `axis`.
    static func reference(_ values: [Float], shape: [Int], axis: Int, log: Bool) -> [Double] {
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        var out = [Double](repeating: 0, count: values.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let idx = (0..<n).map { (o * n + $0) * inner + i }
                let m = idx.map { Double(values[$0]) }.max()!
                let s = idx.map { Foundation.exp(Double(values[$0]) - m) }.reduce(0, +)
                for j in idx {
                    out[j] = log ? Double(values[j]) - m - Foundation.log(s) : Foundation.exp(Double(values[j]) - m) / s
                }
            }
        }
        return out
    }

    @Test(arguments: [0, 1, 2, -1])
    func forwardAlongEveryAxis(axis: Int) {
        let x = KernelCheck.uniform([3, 5, 7], low: -10, high: 10)
        let a = axis < 0 ? axis + 3 : axis
        KernelCheck.close(x.softmax(axis: axis), Self.reference(x.toArray(), shape: x.shape, axis: a, log: false),
                          shape: x.shape, absolute: 1e-7, relative: 2e-6, "softmax axis \(axis)")
        KernelCheck.close(x.logSoftmax(axis: axis), Self.reference(x.toArray(), shape: x.shape, axis: a, log: true),
                          shape: x.shape, absolute: 2e-6, relative: 1e-6, "logSoftmax axis \(axis)")
    }

    @Test func largeRowsUseTheParallelPathAndAgree() {
        // [96, 4, 130]: many rows, a width that is not a multiple of the vector width.
        let x = KernelCheck.uniform([96, 4, 130], low: -20, high: 20, seed: 5)
        let expected = Self.reference(x.toArray(), shape: x.shape, axis: 2, log: false)
        KernelCheck.close(x.softmax(axis: -1), expected, absolute: 1e-7, relative: 2e-6, "softmax")
        let rowSums = x.softmax(axis: -1).sum(axes: [2]).toArray()
        #expect(rowSums.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test func nonContiguousInputs() {
        for x in [KernelCheck.transposedInput([6, 9]), KernelCheck.slicedInput([4, 6])] {
            let values = x.toArray()
            KernelCheck.close(x.softmax(axis: -1), Self.reference(values, shape: x.shape, axis: 1, log: false),
                              absolute: 1e-7, relative: 2e-6, "softmax")
            KernelCheck.close(x.logSoftmax(axis: 0), Self.reference(values, shape: x.shape, axis: 0, log: true),
                              absolute: 2e-6, relative: 1e-6, "logSoftmax axis 0")
        }
    }

    @Test func fullyMaskedRowsStayFinite() {
        // The BERT way: add finfo.min where masked. A fully masked row becomes uniform, a
        // partially masked one puts zero probability on masked entries, nothing is NaN.
        let scores = KernelCheck.uniform([3, 6], low: -5, high: 5)
        let mask = Tensor([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1], shape: [3, 6])
        let masked = scores + mask * -Float.greatestFiniteMagnitude
        let p = masked.softmax(axis: -1).toArray()
        #expect(p.allSatisfy { $0.isFinite })
        #expect(p[2..<6].allSatisfy { $0 == 0 })
        #expect(p[6..<12].allSatisfy { abs($0 - 1.0 / 6) < 1e-6 })
        #expect(abs(p[0] + p[1] - 1) < 1e-6)
        #expect(masked.logSoftmax(axis: -1).toArray().allSatisfy { !$0.isNaN })
        // Gradients through a masked softmax are finite too.
        let w = Parameter(scores)
        ((w.value + mask * -Float.greatestFiniteMagnitude).softmax(axis: -1) * KernelCheck.uniform([3, 6])).sum().backward()
        #expect(w.grad!.toArray().allSatisfy { $0.isFinite })
        // A row of -inf gives zeros, not NaN.
        let allInf = Tensor([Float](repeating: -.infinity, count: 4), shape: [1, 4]).softmax(axis: -1).toArray()
        #expect(allInf == [0, 0, 0, 0])
    }

    @Test func hugeLogitsDoNotOverflow() {
        let x = Tensor([1e30, 1e30 - 1e24, -1e30, 88, 89, 1000], shape: [2, 3])
        let p = x.softmax(axis: -1).toArray()
        #expect(p.allSatisfy { $0.isFinite })
        #expect(x.logSoftmax(axis: -1).toArray().allSatisfy { $0.isFinite })
    }

    @Test(arguments: [0, 1, 2])
    func gradientCheckAlongEveryAxis(axis: Int) {
        KernelCheck.gradient("softmax axis \(axis)", inputs: [KernelCheck.uniform([2, 3, 4])]) { $0[0].softmax(axis: axis) }
        KernelCheck.gradient("logSoftmax axis \(axis)", inputs: [KernelCheck.uniform([2, 3, 4])]) { $0[0].logSoftmax(axis: axis) }
    }

    @Test func gradientCheckNonContiguousAndBroadcast() {
        KernelCheck.gradient("softmax transposed", inputs: [KernelCheck.transposedInput([4, 5])]) { $0[0].softmax(axis: -1) }
        KernelCheck.gradient("softmax sliced", inputs: [KernelCheck.slicedInput([3, 5])]) { $0[0].softmax(axis: -1) }
        KernelCheck.gradient("logSoftmax transposed axis 0", inputs: [KernelCheck.transposedInput([4, 5])]) { $0[0].logSoftmax(axis: 0) }
        KernelCheck.gradient("softmax broadcast", inputs: [KernelCheck.uniform([1, 5])]) { $0[0].expand(to: [3, 5]).softmax(axis: -1) }
        KernelCheck.gradient("logSoftmax broadcast over rows", inputs: [KernelCheck.uniform([4, 1])]) {
            ($0[0] * KernelCheck.uniform([4, 6])).logSoftmax(axis: 0)
        }
    }
}
