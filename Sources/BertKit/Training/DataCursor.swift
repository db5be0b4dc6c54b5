import TensorCore

/// The position in the training data: epoch and offset into that epoch's order. Each epoch's
/// order is a permutation drawn from `seed` and the epoch number alone (or the identity
/// without shuffling), so the cursor is four integers and a flag — `Codable`, saved with every
/// checkpoint — and a resumed run reads the same examples in the same order.
///
/// Batches run across epoch boundaries: no example is dropped, none is read twice in an epoch.
///
/// ```swift
/// var cursor = DataCursor(count: source.count, seed: 42, shuffle: true)
/// let indices = cursor.next(32)          // the next 32 example indices
/// ```
public struct DataCursor: Codable, Sendable, Equatable {
    public let count: Int
    public let seed: UInt64
    public let shuffle: Bool
    /// Completed epochs.
    public private(set) var epoch = 0
    /// Examples already read in the current epoch.
    public private(set) var position = 0

    public init(count: Int, seed: UInt64, shuffle: Bool) {
        check(count > 0, "DataCursor: empty data set")
        self.count = count
        self.seed = seed
        self.shuffle = shuffle
    }

    /// The order of epoch `epoch`: a permutation of 0..<count.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<count)
        guard shuffle else { return order }
        var generator = RandomGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        generator.shuffle(&order)
        return order
    }

    /// The next `n` indices, continuing into the next epoch when this one ends.
    public mutating func next(_ n: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(n)
        var current = order(epoch: epoch)
        while out.count < n {
            let take = min(n - out.count, count - position)
            out += current[position..<(position + take)]
            position += take
            if position == count {
                epoch += 1
                position = 0
                if out.count < n { current = order(epoch: epoch) }
            }
        }
        return out
    }

    /// Fractional epochs read so far.
    public var epochsRead: Double { Double(epoch) + Double(position) / Double(count) }
}
