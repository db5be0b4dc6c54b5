import Foundation
import TensorCore

/// Wall-clock time per model section (QKV projections, attention scores, FFN, …), forward and
/// backward, for one or more steps run inside ``measure(_:)``. Used by `bert bench --profile`.
///
/// Forward time is measured around each section. Backward time is bracketed by two identity
/// graph nodes (one on the section's output, one on each input): the time between the output
/// node's backward and the last input node's backward is charged to the section. Backward walks
/// the graph in topological order, so this is the section's backward up to interleaving with
/// residual branches (an approximation; the unattributed rest is reported separately by callers).
/// Off (no cost beyond a task-local read) outside `measure`.
/// ```swift
/// let (_, profile) = BertProfile.measure { try step() }
/// print(profile.report(totalSeconds: elapsed))
/// ```
public final class BertProfile: @unchecked Sendable {
    @TaskLocal static var current: BertProfile?

    private let lock = NSLock()
    private var labels: [String] = []
    private var forward: [String: Double] = [:]
    private var backward: [String: Double] = [:]
    private var backwardStart: [Int: Double] = [:]
    private var backwardEnd: [Int: (label: String, time: Double)] = [:]
    private var nextID = 0

    /// Runs `body` with profiling on and returns its result and the profile.
    public static func measure<R>(_ body: () throws -> R) rethrows -> (R, BertProfile) {
        let profile = BertProfile()
        let result = try $current.withValue(profile, operation: body)
        return (result, profile)
    }

    /// Monotonic seconds.
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    func begin(_ label: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        if forward[label] == nil { labels.append(label); forward[label] = 0; backward[label] = 0 }
        nextID += 1
        return nextID
    }

    func addForward(_ label: String, _ seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        forward[label, default: 0] += seconds
    }

    func markBackwardStart(_ id: Int) {
        lock.lock(); defer { lock.unlock() }
        if backwardStart[id] == nil { backwardStart[id] = Self.now() }  // the first output's backward
    }

    func markBackwardEnd(_ id: Int, _ label: String) {
        let t = Self.now()
        lock.lock(); defer { lock.unlock() }
        backwardEnd[id] = (label, max(backwardEnd[id]?.time ?? 0, t))
    }

    /// Forward and backward seconds per section, in first-seen order.
    public var sections: [(label: String, forward: Double, backward: Double)] {
        lock.lock(); defer { lock.unlock() }
        var back: [String: Double] = [:]
        for (id, end) in backwardEnd { if let s = backwardStart[id] { back[end.label, default: 0] += end.time - s } }
        return labels.map { ($0, forward[$0] ?? 0, back[$0] ?? 0) }
    }

    /// A table of the sections with their share of `totalSeconds` (the whole step, measured by
    /// the caller), plus the unattributed remainder.
    public func report(totalSeconds: Double) -> String {
        let rows = sections
        let pad = { (text: String) in text.padding(toLength: 30, withPad: " ", startingAt: 0) }
        var out = pad("section") + "    fwd ms    bwd ms   share\n"
        var sum = 0.0
        for r in rows {
            sum += r.forward + r.backward
            out += pad(r.label) + String(format: "%10.1f%10.1f%7.1f%%\n", r.forward * 1e3, r.backward * 1e3,
                                         100 * (r.forward + r.backward) / totalSeconds)
        }
        out += pad("other (loss, graph, optimizer)") + String(format: "%20.1f%7.1f%%\n", (totalSeconds - sum) * 1e3,
                                                            100 * (totalSeconds - sum) / totalSeconds)
        return out
    }
}

/// Runs one model section; under ``BertProfile/measure(_:)`` times its forward and brackets
/// its backward (see ``BertProfile``).
func profiled(_ label: String, _ inputs: [Tensor], outputs body: ([Tensor]) -> [Tensor]) -> [Tensor] {
    guard let profile = BertProfile.current else { return body(inputs) }
    let id = profile.begin(label)
    let entered = inputs.map { x in
        Tensor.record(op: "profile.enter", inputs: [x], output: x) { g in
            profile.markBackwardEnd(id, label)
            return [g]
        }
    }
    let start = BertProfile.now()
    let ys = body(entered)
    profile.addForward(label, BertProfile.now() - start)
    return ys.map { y in
        Tensor.record(op: "profile.exit", inputs: [y], output: y) { g in
            profile.markBackwardStart(id)
            return [g]
        }
    }
}

/// ``profiled(_:_:outputs:)`` for a section with one output.
func profiled(_ label: String, _ inputs: [Tensor], _ body: ([Tensor]) -> Tensor) -> Tensor {
    profiled(label, inputs, outputs: { [body($0)] })[0]
}

/// ``profiled(_:_:outputs:)`` for a one-input, one-output section.
func profiled(_ label: String, _ input: Tensor, _ body: (Tensor) -> Tensor) -> Tensor {
    profiled(label, [input], outputs: { [body($0[0])] })[0]
}
