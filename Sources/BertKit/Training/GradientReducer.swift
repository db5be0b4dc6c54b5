import TensorCore

/// The processes of a data-parallel run, as the trainer sees them: each process computes the
/// gradient of its own share of the global batch, and the reducer sums those gradients (and
/// the step's counts and metrics) over all processes, so every process applies the same update.
///
/// ``PretrainingTrainer`` and ``PretrainingRun`` call it when one is set (nil: one process,
/// nothing changes). `BertDistributed.MPIGradientReducer` implements it over MPI; a test can
/// implement it in memory.
///
/// The trainer weights each micro-batch's losses by the *global* token and sequence counts
/// (from ``sum(_:)`` before the forward passes), so the sum of the processes' gradients is the
/// gradient of the whole global batch — no division by the world size afterwards.
///
/// ```swift
/// trainer.reducer = reducer                  // before the first step
/// let result = try trainer.step(myShare)     // counts, gradients and metrics summed over processes
/// ```
public protocol GradientReducer: AnyObject {
    /// This process's index, 0..<worldSize (0 writes logs, checkpoints and the final model).
    var rank: Int { get }
    /// Number of processes.
    var worldSize: Int { get }
    /// Element-wise sums of `values` over all processes (every process gets the same result).
    func sum(_ values: [Double]) throws -> [Double]
    /// At the start of a run: checks that every process has the same `fingerprint` (settings,
    /// data, resumed position) and copies rank 0's parameter values to every process.
    func synchronize(_ parameters: [Parameter], fingerprint: String) throws
    /// Called right before the step's last backward pass: from then on each parameter's
    /// gradient is reduced as soon as it is final (``Parameter/onGradientFinal``).
    func beginReduction()
    /// Waits until every gradient has been reduced: afterwards each parameter's `grad` holds
    /// the sum over all processes (a parameter no process reached keeps `grad == nil`).
    func finishReduction() throws
}

extension GradientReducer {
    /// True when this process writes the run's files (rank 0).
    public var isLeader: Bool { rank == 0 }
}
