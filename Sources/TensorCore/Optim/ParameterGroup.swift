/// Parameters that share a learning rate and a weight decay (PyTorch's `param_groups`).
///
/// `baseLearningRate` is the group's initial learning rate; schedules set
/// `learningRate = baseLearningRate × multiplier(step)`, like `LambdaLR`.
/// Names are the keys under which optimizer state is saved.
///
/// ```swift
/// let groups = ParameterGroup.excludingWeightDecay(model.namedParameters(),
///                                                  learningRate: 5e-5, weightDecay: 0.01)
/// let optimizer = AdamW(groups)
/// ```
public struct ParameterGroup {
    /// The parameters, updated in this order.
    public var parameters: [Parameter]
    /// Names, parallel to `parameters` (state keys).
    public var names: [String]
    /// The learning rate the next `step()` uses.
    public var learningRate: Double
    /// The initial learning rate that schedules scale.
    public var baseLearningRate: Double
    /// Weight decay of this group (its meaning depends on the optimizer: L2 for SGD/Adam,
    /// decoupled for AdamW, added to the update for AdamWeightDecay/LAMB).
    public var weightDecay: Double

    /// A group of named parameters (as returned by `Module.namedParameters()`).
    ///
    /// - Parameters:
    ///   - namedParameters: `(name, parameter)` pairs.
    ///   - learningRate: base and current learning rate.
    ///   - weightDecay: weight decay of the group.
    public init(_ namedParameters: [(String, Parameter)], learningRate: Double, weightDecay: Double) {
        parameters = namedParameters.map(\.1)
        names = namedParameters.map(\.0)
        self.learningRate = learningRate
        baseLearningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// A group of parameters named by their own `name` property.
    public init(parameters: [Parameter], learningRate: Double, weightDecay: Double) {
        self.init(parameters.map { ($0.name, $0) }, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// The name patterns the original BERT excludes from weight decay (substring match, as
    /// google-research/bert `optimization.py` `_do_use_weight_decay` with `re.search`).
    public static let defaultNoDecayPatterns = ["bias", "LayerNorm", "layer_norm"]

    /// Whether `name` contains one of `patterns` (so it gets no weight decay).
    public static func isExcludedFromWeightDecay(_ name: String,
                                                 patterns: [String] = defaultNoDecayPatterns) -> Bool {
        patterns.contains { name.contains($0) }
    }

    /// Splits parameters into a decayed group and a group with weight decay 0 for names that
    /// contain any of `patterns` (by default "bias", "LayerNorm", "layer_norm"), keeping order.
    /// An empty group is left out.
    ///
    /// - Parameters:
    ///   - namedParameters: `(name, parameter)` pairs, e.g. `model.namedParameters()`.
    ///   - learningRate: learning rate of both groups.
    ///   - weightDecay: decay of the first group.
    ///   - patterns: substrings that exclude a name from decay.
    /// - Returns: `[decayed, notDecayed]` (without empty groups).
    public static func excludingWeightDecay(_ namedParameters: [(String, Parameter)], learningRate: Double,
                                            weightDecay: Double,
                                            patterns: [String] = defaultNoDecayPatterns) -> [ParameterGroup] {
        let excluded = namedParameters.filter { isExcludedFromWeightDecay($0.0, patterns: patterns) }
        let decayed = namedParameters.filter { !isExcludedFromWeightDecay($0.0, patterns: patterns) }
        var groups: [ParameterGroup] = []
        if !decayed.isEmpty {
            groups.append(ParameterGroup(decayed, learningRate: learningRate, weightDecay: weightDecay))
        }
        if !excluded.isEmpty {
            groups.append(ParameterGroup(excluded, learningRate: learningRate, weightDecay: 0))
        }
        return groups
    }

    /// Checks what every optimizer needs of its groups (programmer errors, so preconditions):
    /// names parallel to parameters, and no parameter in two groups (as `torch.optim` refuses).
    static func validate(_ groups: [ParameterGroup], optimizer: String) {
        var seen = Set<ObjectIdentifier>()
        for (index, group) in groups.enumerated() {
            check(group.names.count == group.parameters.count,
                         "\(optimizer): group \(index) has \(group.names.count) names for \(group.parameters.count) parameters")
            for (name, parameter) in zip(group.names, group.parameters) {
                check(seen.insert(ObjectIdentifier(parameter)).inserted,
                             "\(optimizer): parameter '\(name)' appears in more than one group")
            }
        }
    }
}
