import CKernels

// Elementwise math with vectorised C loops (exp/log use ~1 ulp polynomial approximations,
// see CKernelsCore.h) and their derivatives.
extension Tensor {
    /// What a unary op's backward reads: its input, its output or neither. Only that is kept
    /// alive until backward, and passed to `backward` as `saved` (nil for `.nothing`).
    private enum Saved { case input, output, nothing }

    private func unaryOp(_ code: Int, _ name: String, parameter: Float = 0, saves: Saved,
                         backward: @escaping @Sendable (_ g: Tensor, _ saved: Tensor?) -> Tensor) -> Tensor {
        let out = ElementwiseKernel.unary(code, self, parameter: parameter)
        guard Tensor.needsGradient(self) else { return out }
        let saved: Tensor? = switch saves {
        case .input: detached()
        case .output: out.detached()
        case .nothing: nil
        }
        return Tensor.record(op: name, inputs: [self], output: out) { g in [backward(g, saved)] }
    }

    /// eˣ elementwise (≈1 ulp; 0 below −87.3, +∞ above 88.7).
    public func exp() -> Tensor {
        unaryOp(TC_EXP, "exp", saves: .output) { g, y in g * y! }
    }

    /// Natural logarithm elementwise (≈1 ulp; log 0 = −∞, negative → NaN).
    public func log() -> Tensor {
        unaryOp(TC_LOG, "log", saves: .input) { g, x in g / x! }
    }

    /// Square root elementwise (correctly rounded).
    public func sqrt() -> Tensor {
        unaryOp(TC_SQRT, "sqrt", saves: .output) { g, y in (g / y!) * 0.5 }
    }

    /// 1/√x elementwise.
    public func rsqrt() -> Tensor {
        unaryOp(TC_RSQRT, "rsqrt", saves: .output) { g, y in g * (y! * y! * y!) * -0.5 }
    }

    /// |x| elementwise; the derivative at 0 is taken as 0.
    public func abs() -> Tensor {
        unaryOp(TC_ABS, "abs", saves: .input) { g, x in ElementwiseKernel.binary(TC_ABS_GRAD, g, x!, name: "abs backward") }
    }

    /// max(x, 0) elementwise; the derivative at 0 is taken as 0.
    public func relu() -> Tensor {
        unaryOp(TC_RELU, "relu", saves: .output) { g, y in ElementwiseKernel.binary(TC_RELU_GRAD, g, y!, name: "relu backward") }
    }

    /// xᵖ elementwise. Exponents 1, 2, 0.5, −0.5, −1 and 0 take exact fast paths; others use
    /// `powf` (negative bases give NaN unless the exponent is an integer).
    ///
    /// ```swift
    /// let squared = x.pow(2)
    /// ```
    public func pow(_ exponent: Float) -> Tensor {
        switch exponent {
        case 1: return self
        case 0: return unaryOp(TC_SCALE, "pow", parameter: 0, saves: .nothing) { g, _ in g * 0 } + 1
        case 2: return unaryOp(TC_SQUARE, "pow", saves: .input) { g, x in g * x! * 2 }
        case 0.5: return sqrt()
        case -0.5: return rsqrt()
        case -1: return unaryOp(TC_RECIPROCAL, "pow", saves: .output) { g, y in -(g * y! * y!) }
        default:
            return unaryOp(TC_POW, "pow", parameter: exponent, saves: .input) { g, x in g * x!.pow(exponent - 1) * exponent }
        }
    }

    /// x² elementwise.
    public func square() -> Tensor { pow(2) }
}
