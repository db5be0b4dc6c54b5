import ArgumentParser
import Foundation

/// Limits on size flags, checked in `validate()` before anything is allocated: each flag has a
/// stated range, and the memory the run would need (checked arithmetic: `--batch 10^12 --seq
/// 10^7` overflows an `Int`) must fit in this machine's memory.
///
/// ```swift
/// try FlagLimits.range("--seq", seq, 1...FlagLimits.maxSequence)
/// try FlagLimits.fits("the activations", floats: [batch, seq, hidden, layers, 24])
/// ```
enum FlagLimits {
    static let maxSequence = 1 << 16
    static let maxBatch = 1 << 16
    static let maxSteps = 1 << 30

    /// Throws "--flag must be in a...b, got v".
    static func range(_ flag: String, _ value: Int, _ allowed: ClosedRange<Int>) throws {
        guard allowed.contains(value) else {
            throw ValidationError("\(flag) must be in \(allowed.lowerBound)...\(allowed.upperBound), got \(value)")
        }
    }

    /// The product of `factors`, or nil when it overflows.
    static func product(_ factors: [Int]) -> Int? {
        var total = 1
        for f in factors {
            let (r, o) = total.multipliedReportingOverflow(by: f)
            if o { return nil }
            total = r
        }
        return total
    }

    /// Throws when `floats` Float32 values (a product of factors) would not fit in memory.
    static func fits(_ what: String, floats factors: [Int]) throws {
        let memory = ProcessInfo.processInfo.physicalMemory
        guard let floats = product(factors), let bytes = product([floats, MemoryLayout<Float>.stride]),
              UInt64(bytes) <= memory else {
            let shown = product(factors).map { "\($0) floats" } ?? "more than 2^63 floats"
            throw ValidationError("\(what) would need \(shown), more than this machine's "
                + "\(memory / 1_000_000) MB of memory; use smaller flags")
        }
    }
}
