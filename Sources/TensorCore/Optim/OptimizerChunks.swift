
/// Splits optimizer and clipping loops into fixed-size chunks that run on all cores.
///
/// The partition depends only on the element count (never on the thread count), and every
/// kernel treats elements independently or returns per-chunk partial sums that are combined in
/// chunk order, so results are bit-identical whatever the number of threads.
enum OptimizerChunks {
    /// Elements per chunk (256 KiB of floats per buffer).
    static let size = 1 << 16

    /// Calls `body` for every chunk of `0..<count` (concurrently when there are several).
    static func forEach(_ count: Int, _ body: (Range<Int>) -> Void) {
        let chunks = (count + size - 1) / size
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        parallelFor(chunks) { c in body(c * size..<min(count, (c + 1) * size)) }
    }

    /// Sums `partial(chunk)` over the chunks of `0..<count`, adding the partials in chunk order.
    static func sum(_ count: Int, _ partial: (Range<Int>) -> Double) -> Double {
        let chunks = (count + size - 1) / size
        if chunks <= 1 { return count > 0 ? partial(0..<count) : 0 }
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        defer { partials.deallocate() }
        let output = UncheckedSendable(value: partials)
        parallelFor(chunks) { c in output.value[c] = partial(c * size..<min(count, (c + 1) * size)) }
        var total = 0.0
        for c in 0..<chunks { total += partials[c] }
        return total
    }
}
