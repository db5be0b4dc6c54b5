/// A byte-wise double-array trie: the child of state `s` on byte `b` is `t = base[s] + b`, valid
/// when `check[t] == s`. Two array loads per byte and no allocation, so WordPiece's greedy
/// longest-match walks the vocabulary without building substrings.
///
/// Keys are UTF-8 byte strings; since they are valid UTF-8, an accepting state reached from a char
/// boundary always ends on a char boundary too.
final class DoubleArrayTrie: @unchecked Sendable {
    /// One slot: the three fields side by side, so a step touches one cache line.
    struct Slot {
        var base: Int32
        var check: Int32
        var value: Int32
        var unused: Int32 = 0
    }
    private let slots: UnsafeMutablePointer<Slot>
    private let capacity: Int

    /// The root state.
    let root: Int32 = 0

    /// Builds the trie from (key bytes, value ≥ 0) pairs with distinct keys.
    init(keys: [([UInt8], Int32)]) {
        // 1. Keys sorted bytewise: the keys below a node form a contiguous range, its children
        // are the runs of equal bytes at the node's depth, already in order.
        let sorted = keys.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        var baseArray = [Int32](repeating: 0, count: 1024)
        var checkArray = [Int32](repeating: -1, count: 1024)
        var valueArray = [Int32](repeating: -1, count: 1024)
        checkArray[0] = -2   // the root occupies slot 0
        // `nextFree[i]`: the first free slot ≥ i (union–find with path halving), so the search
        // for a base only visits free slots.
        var nextFree = [Int](0..<1024)
        nextFree[0] = 1
        func find(_ i: Int) -> Int {
            var i = i
            while nextFree[i] != i { nextFree[i] = nextFree[nextFree[i]]; i = nextFree[i] }
            return i
        }
        func ensure(_ size: Int) {
            if size > checkArray.count {
                let old = checkArray.count
                let newSize = max(size, old * 2)
                baseArray.append(contentsOf: [Int32](repeating: 0, count: newSize - old))
                checkArray.append(contentsOf: [Int32](repeating: -1, count: newSize - old))
                valueArray.append(contentsOf: [Int32](repeating: -1, count: newSize - old))
                nextFree.append(contentsOf: old..<newSize)
            }
        }
        // 2. Place the nodes breadth-first, each child set at the first base where all fit.
        struct Node { var slot: Int; var lo: Int; var hi: Int; var depth: Int }
        var queue = [Node(slot: 0, lo: 0, hi: sorted.count, depth: 0)]
        var head = 0
        var labels: [Int] = []
        var ranges: [(Int, Int)] = []
        while head < queue.count {
            var node = queue[head]; head += 1
            if node.lo < node.hi && sorted[node.lo].0.count == node.depth {
                valueArray[node.slot] = sorted[node.lo].1
                node.lo += 1
            }
            if node.lo == node.hi { continue }
            labels.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
            var k = node.lo
            while k < node.hi {
                let byte = sorted[k].0[node.depth]
                var end = k + 1
                while end < node.hi && sorted[end].0[node.depth] == byte { end += 1 }
                labels.append(Int(byte))
                ranges.append((k, end))
                k = end
            }
            let first = labels[0]
            var position = find(first + 1)
            while true {
                ensure(position + 258)
                let b = position - first
                var fits = true
                for label in labels where checkArray[b + label] != -1 { fits = false; break }
                if fits {
                    baseArray[node.slot] = Int32(b)
                    for (label, range) in zip(labels, ranges) {
                        let t = b + label
                        checkArray[t] = Int32(node.slot)
                        nextFree[t] = t + 1
                        queue.append(Node(slot: t, lo: range.0, hi: range.1, depth: node.depth + 1))
                    }
                    break
                }
                position = find(position + 1)
            }
        }
        // 3. Copy to fixed memory with 256 spare slots so `base + byte` never needs a bound check.
        var used = checkArray.count
        while used > 1 && checkArray[used - 1] == -1 { used -= 1 }
        capacity = used + 257
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(base: 0, check: -1, value: -1), count: capacity)
        for i in 0..<min(used, checkArray.count) {
            slots[i] = Slot(base: baseArray[i], check: checkArray[i], value: valueArray[i])
        }
        // Bases of leaves stay 0; `0 + byte` lands on slots whose check never equals a leaf.
    }

    deinit { slots.deallocate() }

    /// The child of `state` on `byte`, or -1.
    @inline(__always)
    func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        let t = Int(slots[Int(state)].base) &+ Int(byte)
        return slots[t].check == state ? Int32(truncatingIfNeeded: t) : -1
    }

    /// The value stored at `state` (-1 when no key ends there).
    @inline(__always)
    func value(at state: Int32) -> Int32 { slots[Int(state)].value }

    /// The state reached by walking `bytes` from `state`, or -1.
    func walk(_ bytes: some Sequence<UInt8>, from state: Int32) -> Int32 {
        var s = state
        for b in bytes {
            s = next(s, b)
            if s < 0 { return -1 }
        }
        return s
    }
}
