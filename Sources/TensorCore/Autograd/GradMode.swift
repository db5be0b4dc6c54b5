/// Whether ops record the autodiff graph in the current task.
///
/// Task-local (not a global flag), so concurrent tasks can run inference and training side by
/// side. Use ``withNoGrad(_:)-(()->R)`` to turn recording off for a scope.
public enum GradMode {
    /// True (the default) when ops record graph nodes for inputs that require gradients.
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` with graph recording off: no op inside records a node, so results do not
/// require gradients and no memory is kept for backward.
///
/// ```swift
/// let logits = withNoGrad { model(batch) }
/// ```
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

/// Async form of ``withNoGrad(_:)-(()->R)``: recording stays off across suspension points of
/// `body` (and in child tasks it creates), because the mode is task-local.
///
/// ```swift
/// let scores = await withNoGrad { await evaluate(model) }
/// ```
public func withNoGrad<R>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> R
) async rethrows -> R {
    try await GradMode.$isEnabled.withValue(false, operation: body)
}
