import Foundation

/// Wall time in seconds of one call of `body`.
func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

/// Interleaved timing of several variants: each round runs every variant once, so load spikes
/// on the shared machine hit all variants alike. Returns the best (minimum) time per variant,
/// the estimate least disturbed by other processes, after `warmup` untimed rounds.
func bestSeconds(rounds: Int = 15, warmup: Int = 2, _ variants: [() -> Double]) -> [Double] {
    var best = [Double](repeating: .infinity, count: variants.count)
    for round in 0..<(warmup + rounds) {
        for (i, variant) in variants.enumerated() {
            let t = variant()
            if round >= warmup { best[i] = min(best[i], t) }
        }
    }
    return best
}

/// 1-, 5- and 15-minute load averages (how busy the shared machine was), if readable.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}
