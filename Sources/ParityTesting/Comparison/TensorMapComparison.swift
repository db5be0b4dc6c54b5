import TensorCore

/// Named tensors compared with their references key by key (for example every gradient of a
/// model, or every output of a reference dump).
///
/// ```swift
/// let grads = Dictionary(uniqueKeysWithValues: model.namedParameters().compactMap { n, p in p.grad.map { (n, $0) } })
/// let report = TensorMapComparison(grads, referenceGrads, tolerance: Tolerance(rtol: 1e-4, atol: 1e-6))
/// print(report)   // "3 of 39 tensors differ; missing: …" then one block per failing key
/// ```
public struct TensorMapComparison: ParityReport, Sendable {
    /// One comparison per key present on both sides, in key order (or the order given).
    public var entries: [TensorComparison]
    /// Keys of the reference that `actual` lacks.
    public var missing: [String]
    /// Keys of `actual` that the reference lacks.
    public var unexpected: [String]
    /// When false, keys only in `actual` do not fail the comparison.
    public var unexpectedKeysFail: Bool

    /// The failing entries, in order.
    public var failures: [TensorComparison] { entries.filter { !$0.passed } }
    public var passed: Bool { failures.isEmpty && missing.isEmpty && (unexpected.isEmpty || !unexpectedKeysFail) }

    /// Compares `actual[key]` with `expected[key]` for every key.
    /// - Parameters:
    ///   - order: keys in the order to report them (default: sorted); keys not listed follow, sorted.
    ///   - unexpectedKeysFail: whether keys only in `actual` fail the comparison (default true).
    ///   - toleranceFor: per-key tolerance; `tolerance` when nil.
    public init(_ actual: [String: Tensor], _ expected: [String: Tensor], tolerance: Tolerance = .numpy,
                order: [String] = [], unexpectedKeysFail: Bool = true,
                toleranceFor: ((String) -> Tolerance)? = nil) {
        let listed = Set(order)
        let keys = order.filter { expected[$0] != nil } + expected.keys.filter { !listed.contains($0) }.sorted()
        entries = keys.compactMap { key in
            guard let a = actual[key], let e = expected[key] else { return nil }
            return TensorComparison(a, e, tolerance: toleranceFor?(key) ?? tolerance, name: key)
        }
        missing = keys.filter { actual[$0] == nil }
        unexpected = actual.keys.filter { expected[$0] == nil }.sorted()
        self.unexpectedKeysFail = unexpectedKeysFail
    }

    public var description: String {
        var lines: [String] = []
        let failed = failures
        lines.append(passed ? "\(entries.count) tensors close"
                            : "\(failed.count) of \(entries.count) tensors differ")
        if !missing.isEmpty { lines.append("missing (in the reference only): \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { lines.append("unexpected (not in the reference): \(unexpected.joined(separator: ", "))") }
        for f in failed { lines.append(f.description) }
        return lines.joined(separator: "\n")
    }
}
