import TensorCore

/// The end of every training step, shared by ``PretrainingTrainer`` and ``FineTuningTrainer``:
/// the global gradient norm with its clip coefficient, then the optimizer update with the clip
/// applied (folded into Adam's single pass, a separate scaling for other optimizers).
///
/// ```swift
/// let (norm, coefficient) = ClippedUpdate.norm(optimizer, maxNorm: 1.0)
/// if norm.isFinite { ClippedUpdate.apply(optimizer, coefficient: coefficient, maxNorm: 1.0) }
/// ```
public enum ClippedUpdate {
    /// Global L2 norm of every gradient of `optimizer`'s parameters and the factor that clips it
    /// to `maxNorm` (1 when `maxNorm` is nil).
    public static func norm(_ optimizer: any Optimizer, maxNorm: Double?) -> (norm: Float, coefficient: Float) {
        let parameters = optimizer.parameterGroups.flatMap(\.parameters)
        var (norm, coefficient) = gradientClipCoefficient(parameters, maxNorm: maxNorm ?? .infinity)
        if maxNorm == nil { coefficient = 1 }
        return (norm, coefficient)
    }

    /// One optimizer step with the gradients scaled by `coefficient`, then the gradients zeroed.
    public static func apply(_ optimizer: any Optimizer, coefficient: Float, maxNorm: Double?) {
        if let adam = optimizer as? Adam {
            adam.step(gradientScale: coefficient)  // clip folded into the update: one pass
        } else {
            // The coefficient `norm` computed: no second pass over the gradients for the norm.
            if coefficient != 1, maxNorm != nil {
                scaleGradients(optimizer.parameterGroups.flatMap(\.parameters), by: coefficient)
            }
            optimizer.step()
        }
        optimizer.zeroGrad()
    }
}
