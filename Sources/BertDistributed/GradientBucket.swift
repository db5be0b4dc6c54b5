/// One contiguous buffer of gradients reduced with a single `MPI_Iallreduce`: the members'
/// gradients one after the other, then one "reached" flag per member (1 when this process's
/// backward produced that gradient), so after the sum a parameter no process reached can keep
/// `grad == nil`, exactly as in a single process.
final class GradientBucket {
    /// Indices into the reducer's parameter list, in the order they are packed.
    let members: [Int]
    /// Element offset of each member's gradient in `buffer`.
    let offsets: [Int]
    /// Gradient elements (the flags follow).
    let elements: Int
    let buffer: UnsafeMutablePointer<Float>
    /// Members whose gradient has not arrived in the current backward.
    var pending: Int

    /// Total floats reduced: gradients plus flags.
    var count: Int { elements + members.count }

    init(members: [Int], sizes: [Int]) {
        self.members = members
        var offsets: [Int] = [], total = 0
        for size in sizes {
            offsets.append(total)
            total += size
        }
        self.offsets = offsets
        elements = total
        buffer = .allocate(capacity: total + members.count)
        buffer.initialize(repeating: 0, count: total + members.count)
        pending = members.count
    }

    deinit { buffer.deallocate() }

    /// The flag of member `k`.
    func flag(_ k: Int) -> UnsafeMutablePointer<Float> { buffer + elements + k }

    /// Splits `order` (parameter indices, in the order their gradients become final) into
    /// buckets of about `capacity` elements; a parameter larger than that gets its own.
    static func plan(order: [Int], sizes: [Int], capacity: Int) -> [GradientBucket] {
        var buckets: [GradientBucket] = []
        var current: [Int] = [], filled = 0
        for index in order {
            if !current.isEmpty && filled + sizes[index] > capacity {
                buckets.append(GradientBucket(members: current, sizes: current.map { sizes[$0] }))
                current = []
                filled = 0
            }
            current.append(index)
            filled += sizes[index]
        }
        if !current.isEmpty { buckets.append(GradientBucket(members: current, sizes: current.map { sizes[$0] })) }
        return buckets
    }
}
