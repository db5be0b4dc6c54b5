import CKernels
import Foundation
import Testing

/// Dense sweeps of the vectorised exp / erf / tanh / sigmoid approximations (CKernels,
/// `ck_math.h`) against libm evaluated in Float64. The bounds are the ones stated in the header.
@Suite struct ApproximationAccuracyTests {
    /// Evenly spaced float inputs over [low, high] plus the exact endpoints.
    static func sweep(_ low: Double, _ high: Double, count: Int = 400_000) -> [Float] {
        (0..<count).map { Float(low + (high - low) * Double($0) / Double(count - 1)) }
    }

    static func apply(_ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64) -> Void,
                      _ x: [Float]) -> [Float] {
        var y = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in kernel(px.baseAddress, py.baseAddress, Int64(x.count)) }
        }
        return y
    }

    /// Largest relative (or absolute) error of `y` against `reference(x)` and where.
    static func maxError(_ x: [Float], _ y: [Float], relative: Bool, _ reference: (Double) -> Double) -> (Double, Float) {
        var worst = 0.0, at: Float = 0
        for i in 0..<x.count {
            let r = reference(Double(x[i]))
            let e = relative ? abs(Double(y[i]) - r) / abs(r) : abs(Double(y[i]) - r)
            if !(e <= worst) { worst = e; at = x[i] }  // also catches NaN
        }
        return (worst, at)
    }

    @Test func expRelativeErrorOverTheNormalRange() {
        let x = Self.sweep(-87.3, 88.7)
        let (err, at) = Self.maxError(x, Self.apply(ck_exp_f32, x), relative: true, Foundation.exp)
        #expect(err < 2.5e-7, "exp max relative error \(err) at \(at)")
    }

    @Test func expIsWithinOneUlpOfCorrectlyRoundedIncludingSubnormals() {
        let x = Self.sweep(-104, 88.72)
        let y = Self.apply(ck_exp_f32, x)
        var worst: UInt32 = 0, at: Float = 0
        for i in 0..<x.count {
            let r = Float(Foundation.exp(Double(x[i])))
            let d = y[i].bitPattern > r.bitPattern ? y[i].bitPattern - r.bitPattern : r.bitPattern - y[i].bitPattern
            if d > worst { worst = d; at = x[i] }
        }
        #expect(worst <= 1, "exp is \(worst) ulp off at \(at)")
    }

    @Test func expSpecialValues() {
        let y = Self.apply(ck_exp_f32, [0, -.infinity, .infinity, -3.4e38, 3.4e38, 89, -200, .nan])
        #expect(y[0] == 1 && y[1] == 0 && y[2] == .infinity && y[3] == 0 && y[4] == .infinity)
        #expect(y[5] == .infinity && y[6] == 0 && y[7].isNaN)
    }

    @Test func rowKernelExpOfNonPositiveArguments() {
        let x = Self.sweep(-87.33, 0)
        let (err, at) = Self.maxError(x, Self.apply(ck_exp_nonpositive_f32, x), relative: true, Foundation.exp)
        #expect(err < 2.5e-7, "exp (x <= 0) max relative error \(err) at \(at)")
        let y = Self.apply(ck_exp_nonpositive_f32, [-87.4, -100, -3.4e38, -.infinity, 0, -0.0, .nan])
        #expect(y[0] == 0 && y[1] == 0 && y[2] == 0 && y[3] == 0 && y[4] == 1 && y[5] == 1 && y[6].isNaN)
    }

    @Test func tanhRelativeError() {
        let x = Self.sweep(-12, 12)
        let (err, at) = Self.maxError(x, Self.apply(ck_tanh_f32, x), relative: true, Foundation.tanh)
        #expect(err < 2e-7, "tanh max relative error \(err) at \(at)")
        let tiny = Self.sweep(-1e-3, 1e-3, count: 20_001).filter { $0 != 0 }
        let (errTiny, atTiny) = Self.maxError(tiny, Self.apply(ck_tanh_f32, tiny), relative: true, Foundation.tanh)
        #expect(errTiny < 2e-7, "tanh near 0: relative error \(errTiny) at \(atTiny)")
        let ends = Self.apply(ck_tanh_f32, [.infinity, -.infinity, 50, -50, .nan])
        #expect(ends[0] == 1 && ends[1] == -1 && ends[2] == 1 && ends[3] == -1 && ends[4].isNaN)
    }

    @Test func erfAbsoluteAndRelativeError() {
        let x = Self.sweep(-6, 6)
        let (err, at) = Self.maxError(x, Self.apply(ck_erf_f32, x), relative: false, Foundation.erf)
        #expect(err < 4e-7, "erf max absolute error \(err) at \(at)")
        let small = Self.sweep(-1, 1, count: 100_000).filter { $0 != 0 }
        let (rel, atRel) = Self.maxError(small, Self.apply(ck_erf_f32, small), relative: true, Foundation.erf)
        #expect(rel < 4e-7, "erf max relative error on [-1, 1] \(rel) at \(atRel)")
        let ends = Self.apply(ck_erf_f32, [.infinity, -.infinity, 0, .nan])
        #expect(ends[0] == 1 && ends[1] == -1 && ends[2] == 0 && ends[3].isNaN)
    }

    @Test func sigmoidError() {
        let x = Self.sweep(-87, 40)
        let sigmoid: (Double) -> Double = { 1 / (1 + Foundation.exp(-$0)) }
        let (rel, at) = Self.maxError(x, Self.apply(ck_sigmoid_f32, x), relative: true, sigmoid)
        #expect(rel < 3e-7, "sigmoid max relative error \(rel) at \(at)")
        let wide = Self.sweep(-200, 200)
        let (abs, atAbs) = Self.maxError(wide, Self.apply(ck_sigmoid_f32, wide), relative: false, sigmoid)
        #expect(abs < 1e-7, "sigmoid max absolute error \(abs) at \(atAbs)")
    }

    @Test func geluFormsAgainstLibm() {
        let x = Self.sweep(-10, 10)
        let exact: (Double) -> Double = { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
        let (e1, a1) = Self.maxError(x, Self.apply(ck_gelu_forward, x), relative: false, exact)
        #expect(e1 < 2e-6, "gelu max absolute error \(e1) at \(a1)")
        let tanhForm: (Double) -> Double = {
            0.5 * $0 * (1 + Foundation.tanh(0.7978845608028654 * ($0 + 0.044715 * $0 * $0 * $0)))
        }
        let (e2, a2) = Self.maxError(x, Self.apply(ck_gelu_tanh_forward, x), relative: false, tanhForm)
        #expect(e2 < 2e-6, "gelu (tanh) max absolute error \(e2) at \(a2)")
    }
}
