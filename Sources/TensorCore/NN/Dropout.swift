import Foundation

/// Inverted dropout as a module, as `torch.nn.Dropout(p)`: active while ``isTraining`` (the
/// default) and the identity after `eval()`.
///
/// Each instance owns its random stream (``generator``, `Codable`, so a checkpoint can save and
/// restore it for bit-exact resumption). Give it one explicitly with
/// ``init(probability:generator:)`` (derived from your stream) or ``init(probability:seed:)``;
/// ``init(probability:)`` takes a fixed seed from a process-wide counter, so instances created
/// in the same order get the same streams on every run, and different instances differ.
///
/// ```swift
/// let drop = Dropout(probability: 0.1)
/// let h = drop(x)          // training: ~10 % zeros, survivors × 1/0.9
/// drop.eval()
/// let same = drop(x)       // identity
/// ```
public final class Dropout: Module {
    /// Drop probability in [0, 1].
    public let probability: Float
    /// The stream masks are drawn from (one draw per forward in training mode).
    public var generator: RandomGenerator
    public var isTraining = true

    /// A dropout layer seeded from a process-wide counter (deterministic in creation order).
    public convenience init(probability: Float) {
        self.init(probability: probability, seed: DropoutSeeds.shared.next())
    }

    /// A dropout layer with an explicit seed.
    public init(probability: Float, seed: UInt64) {
        check(probability >= 0 && probability <= 1, "Dropout: probability \(probability) is outside [0, 1]")
        self.probability = probability
        self.generator = RandomGenerator(seed: seed)
    }

    /// A dropout layer whose stream is derived from `generator` (which advances by one draw).
    public convenience init(probability: Float, generator: inout RandomGenerator) {
        self.init(probability: probability, seed: generator.next())
    }

    /// `x` with elements dropped (training) or unchanged (evaluation).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.dropout(probability: probability, generator: &generator, training: isTraining)
    }
}

/// Default seeds for ``Dropout/init(probability:)``: a locked counter.
final class DropoutSeeds: @unchecked Sendable {
    static let shared = DropoutSeeds()
    private let lock = NSLock()
    private var counter: UInt64 = 0

    func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return 0xD50B_0000_0000 &+ counter
    }
}
