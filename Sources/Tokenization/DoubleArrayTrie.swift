/// A byte-wise double-array trie: the child of state `s` on byte `b` is `t = base[s] + b`, valid
/// when `check[t] == s`. Two array loads per byte and no allocation, so WordPiece's greedy
/// longest-match walks the vocabulary without building substrings.
///
/// Keys are UTF-8 byte strings; since they are valid UTF-8, an accepting state reached from a char
/// boundary always ends on a char boundary too.
final class DoubleArrayTrie: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Int32>
    private let check: UnsafeMutablePointer<Int32>
    private let value: UnsafeMutablePointer<Int32>
    private let capacity: Int

    /// The root state.
    let root: Int32 = 0

    /// Builds the trie from (key bytes, value ≥ 0) pairs; a key given twice keeps the last value.
    init(keys: [([UInt8], Int32)]) {
        // 1. A plain trie with sorted child lists.
        var labels: [[UInt8]] = [[]]
        var targets: [[Int]] = [[]]
        var values: [Int32] = [-1]
        for (key, v) in keys {
            var node = 0
            for byte in key {
                if let k = labels[node].firstIndex(of: byte) {
                    node = targets[node][k]
                } else {
                    labels.append([]); targets.append([]); values.append(-1)
                    let child = labels.count - 1
                    labels[node].append(byte)
                    targets[node].append(child)
                    node = child
                }
            }
            values[node] = v
        }
        // 2. Place the nodes breadth-first, each child set at the first base where all fit.
        var baseArray = [Int32](repeating: 0, count: 1024)
        var checkArray = [Int32](repeating: -1, count: 1024)
        var valueArray = [Int32](repeating: -1, count: 1024)
        var slotOf = [Int](repeating: -1, count: labels.count)
        slotOf[0] = 0
        checkArray[0] = -2   // the root occupies slot 0
        // `nextFree[i]`: the first free slot ≥ i (union–find with path halving), so the search
        // for a base only visits free slots.
        var nextFree = [Int](0..<1024)
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
        nextFree[0] = 1
        var queue = [0]
        var head = 0
        while head < queue.count {
            let node = queue[head]; head += 1
            let slot = slotOf[node]
            valueArray[slot] = values[node]
            let children = labels[node]
            if children.isEmpty { continue }
            let order = children.indices.sorted { children[$0] < children[$1] }
            let first = Int(children[order[0]])
            var position = find(first + 1)
            while true {
                ensure(position + 257)
                let b = position - first
                var fits = true
                for k in order where checkArray[b + Int(children[k])] != -1 { fits = false; break }
                if fits {
                    baseArray[slot] = Int32(b)
                    for k in order {
                        let t = b + Int(children[k])
                        checkArray[t] = Int32(slot)
                        nextFree[t] = t + 1
                        slotOf[targets[node][k]] = t
                        queue.append(targets[node][k])
                    }
                    break
                }
                ensure(position + 258)
                position = find(position + 1)
            }
        }
        // 3. Copy to fixed memory with 256 spare slots so `base + byte` never needs a bound check.
        var used = checkArray.count
        while used > 1 && checkArray[used - 1] == -1 { used -= 1 }
        capacity = used + 257
        base = .allocate(capacity: capacity)
        check = .allocate(capacity: capacity)
        value = .allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
        check.initialize(repeating: -1, count: capacity)
        value.initialize(repeating: -1, count: capacity)
        for i in 0..<min(used, checkArray.count) {
            base[i] = baseArray[i]; check[i] = checkArray[i]; value[i] = valueArray[i]
        }
        // Bases of leaves stay 0; `0 + byte` lands on slots whose check never equals a leaf.
    }

    deinit {
        base.deallocate(); check.deallocate(); value.deallocate()
    }

    /// The child of `state` on `byte`, or -1.
    @inline(__always)
    func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        let t = Int(base[Int(state)]) + Int(byte)
        return check[t] == state ? Int32(t) : -1
    }

    /// The value stored at `state` (-1 when no key ends there).
    @inline(__always)
    func value(at state: Int32) -> Int32 { value[Int(state)] }

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
