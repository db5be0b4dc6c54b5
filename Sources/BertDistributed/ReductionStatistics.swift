/// Where the time of the gradient reduction went, summed over the steps so far.
///
/// ```swift
/// let s = reducer.statistics
/// print(s.hiddenFraction(blockingSeconds: measuredAlone))  // share of communication behind backward
/// ```
public struct ReductionStatistics: Sendable, Equatable {
    /// Reductions done (optimizer steps).
    public var steps = 0
    /// Gradient bytes summed per step (all buckets).
    public var bytesPerStep = 0
    /// Buckets per step.
    public var bucketsPerStep = 0
    /// Buckets started from the gradient-final hook, i.e. while backward still ran.
    public var bucketsStartedDuringBackward = 0
    /// Seconds from ``MPIGradientReducer/beginReduction()`` to ``MPIGradientReducer/finishReduction()``:
    /// the last backward pass, hooks included.
    public var backwardSeconds = 0.0
    /// Seconds spent inside the hooks (copying gradients into buckets, starting and testing requests).
    public var hookSeconds = 0.0
    /// Seconds ``MPIGradientReducer/finishReduction()`` took after backward: communication not
    /// hidden behind backward, plus copying the sums back.
    public var waitSeconds = 0.0

    public init() {}

    /// Fraction of the communication hidden behind backward, given the seconds per step the same
    /// reduction takes when it starts only after backward (`overlap = false`): 1 − wait / blocking.
    public func hiddenFraction(blockingSecondsPerStep: Double) -> Double {
        guard steps > 0, blockingSecondsPerStep > 0 else { return 0 }
        return max(0, 1 - waitSeconds / Double(steps) / blockingSecondsPerStep)
    }
}

extension ReductionStatistics: CustomStringConvertible {
    /// One line: buckets, bytes and the per-step means in milliseconds.
    public var description: String {
        let n = Double(max(steps, 1))
        return String(format: "gradient reduction: %d buckets, %.1f MB per step; per step: last backward %.1f ms "
                      + "(hooks %.1f ms), waiting after backward %.1f ms; %d of %d buckets started during backward",
                      bucketsPerStep, Double(bytesPerStep) / 1_048_576, 1000 * backwardSeconds / n, 1000 * hookSeconds / n,
                      1000 * waitSeconds / n, bucketsStartedDuringBackward, bucketsPerStep * steps)
    }
}
