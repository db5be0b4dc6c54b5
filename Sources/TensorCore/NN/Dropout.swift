/// Inverted dropout as a module, as `torch.nn.Dropout(p)`: active while ``isTraining`` (the
/// default) and the identity after `eval()`.
///
/// Each instance owns its random stream (``generator``), given explicitly — derived from the
/// caller's stream with ``init(probability:generator:)`` or from a seed with
/// ``init(probability:seed:)``; there is no process-wide default. The stream is `Codable`:
/// ``Module/namedRandomStreams()`` collects every dropout's stream of a model by path, so a
/// checkpoint saves and restores them for bit-exact resumption.
///
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let drop = Dropout(probability: 0.1, generator: &rng)
/// let h = drop(x)          // training: ~10 % zeros, survivors × 1/0.9
/// drop.eval()
/// let same = drop(x)       // identity
/// ```
public final class Dropout: TrainingModeModule {
    /// Drop probability in [0, 1].
    public let probability: Float
    /// The stream masks are drawn from (one draw per forward in training mode).
    public var generator: RandomGenerator
    public var isTraining = true
    public var children: [ModuleChild] { [] }

    /// A dropout layer with an explicit seed.
    public init(probability: Float, seed: UInt64) {
        precondition(probability >= 0 && probability <= 1, "Dropout: probability \(probability) is outside [0, 1]")
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

/// A typed error for restoring random streams.
public struct RandomStreamError: Error, CustomStringConvertible {
    public let description: String
}

extension Module {
    /// Every dropout layer's random stream in this tree, by module path
    /// (`bert.encoder.layer.0.attention.self.dropout`): the random state a checkpoint saves.
    ///
    /// ```swift
    /// let streams = model.namedRandomStreams()            // [String: RandomGenerator], Codable
    /// try model.restoreRandomStreams(streams)             // after loading a checkpoint
    /// ```
    public func namedRandomStreams() -> [String: RandomGenerator] {
        var result: [String: RandomGenerator] = [:]
        for (path, module) in namedModules() {
            if let d = module as? Dropout { result[path] = d.generator }
        }
        return result
    }

    /// Restores streams saved by ``namedRandomStreams()``; throws when the saved set does not
    /// name exactly this model's dropout layers.
    public func restoreRandomStreams(_ streams: [String: RandomGenerator]) throws(RandomStreamError) {
        let dropouts = namedModules().compactMap { path, m in (m as? Dropout).map { (path, $0) } }
        let names = Set(dropouts.map(\.0))
        guard names == Set(streams.keys) else {
            let missing = names.subtracting(streams.keys).sorted(), extra = Set(streams.keys).subtracting(names).sorted()
            throw RandomStreamError(description: "random streams do not match the model: missing \(missing), unexpected \(extra)")
        }
        for (path, d) in dropouts { d.generator = streams[path]! }
    }
}
