import Foundation

/// Learns a WordPiece vocabulary from a corpus the way Hugging Face's `WordPieceTrainer` does
/// (`models/wordpiece/trainer.rs`, which runs the BPE trainer with the "##" prefix):
///
/// 1. count the words the BERT normalizer and pre-tokenizer produce;
/// 2. the vocabulary starts with the special tokens, then the alphabet (every character, the
///    `limitAlphabet` most frequent ones when set, plus `initialAlphabet`), in code-point order;
/// 3. each word becomes its characters, all but the first with the prefix ("##e");
/// 4. the most frequent adjacent pair is merged ("t" + "##h" → "th", "##h" + "##e" → "##he") and
///    added, until the vocabulary has `vocabSize` tokens or no pair occurs `minFrequency` times.
///
/// The defaults are those of HF's `BertWordPieceTokenizer.train`. HF breaks ties between equal
/// counts through hash-map iteration order, which changes from run to run (two HF runs on the same
/// corpus can differ in a few tokens near the end); this trainer is deterministic: characters
/// removed by the alphabet limit go by (count, code point); continuation characters get ids in
/// the order HF most likely gives them (found in more distinct words first); equal pair counts go
/// to the pair of smaller ids (as in HF), then to the older queue entry.
///
/// ```swift
/// var trainer = WordPieceTrainer(vocabSize: 8000)
/// trainer.normalizer = BertNormalizer(lowercase: false)        // a cased vocabulary
/// let vocab = trainer.train(lines: corpusLines)               // [String], one text per element
/// try vocab.write(to: URL(fileURLWithPath: "vocab.txt"))
/// let tokenizer = try BertTokenizer(vocabulary: vocab, normalizer: trainer.normalizer)
/// ```
public struct WordPieceTrainer: Sendable {
    public var vocabSize: Int
    public var minFrequency: Int
    public var specialTokens: [String]
    public var limitAlphabet: Int?
    public var initialAlphabet: [Unicode.Scalar]
    public var continuingSubwordPrefix: String
    /// How the corpus is normalized before words are counted.
    public var normalizer: BertNormalizer

    public init(vocabSize: Int = 30000, minFrequency: Int = 2,
                specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                limitAlphabet: Int? = 1000, initialAlphabet: [Unicode.Scalar] = [],
                continuingSubwordPrefix: String = "##", normalizer: BertNormalizer = BertNormalizer()) {
        self.vocabSize = vocabSize
        self.minFrequency = minFrequency
        self.specialTokens = specialTokens
        self.limitAlphabet = limitAlphabet
        self.initialAlphabet = initialAlphabet
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.normalizer = normalizer
    }

    /// Counts the words of `lines` (normalized and pre-tokenized), on all cores. Words are keyed
    /// by their exact UTF-8 bytes (canonically equivalent spellings stay apart, as in HF).
    public func wordCounts(lines: [String]) -> [(word: String, count: Int)] {
        byteWordCounts(lines: lines).map { (String(decoding: $0.key, as: UTF8.self), $0.value) }
    }

    func byteWordCounts(lines: [String]) -> [[UInt8]: Int] {
        let plan = NormalizerPlan.plan(for: normalizer)
        let parts = min(max(1, lines.count / 64), ParallelChunks.cores * 4)
        var partial = [[[UInt8]: Int]](repeating: [:], count: parts)
        let linesBox = UncheckedSendable(lines)
        partial.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(buffer.baseAddress)
            let body: @Sendable (Int) -> Void = { part in
                let lines = linesBox.value
                var counts: [[UInt8]: Int] = [:]
                let range = (lines.count * part / parts)..<(lines.count * (part + 1) / parts)
                for k in range { WordPieceTrainer.countWords(lines[k], plan: plan, into: &counts) }
                out.pointer![part] = counts
            }
            if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
        }
        var total = partial[0]
        for counts in partial.dropFirst() { total.merge(counts, uniquingKeysWith: +) }
        return total
    }

    static func countWords(_ line: String, plan: NormalizerPlan, into counts: inout [[UInt8]: Int]) {
        let tables = plan.tables
        var word: [UInt8] = []
        var mapped: [UInt32] = []
        func flush() {
            if !word.isEmpty { counts[word, default: 0] += 1; word.removeAll(keepingCapacity: true) }
        }
        for scalar in line.unicodeScalars {
            mapped.removeAll(keepingCapacity: true)
            let action = plan.normalize(scalar.value, appendingTo: &mapped)
            if action == .removed { continue }
            if action == .chinese { flush() }
            for cp in mapped {
                let f = tables.flags(cp)
                if f & UnicodeTables.whitespace != 0 { flush(); continue }
                let punctuation = f & UnicodeTables.punctuation != 0
                if punctuation { flush() }
                word.append(contentsOf: String(Character(Unicode.Scalar(cp)!)).utf8)
                if punctuation { flush() }
            }
            if action == .chinese { flush() }
        }
        flush()
    }

    /// Trains on the lines of a corpus.
    public func train(lines: [String]) -> Vocabulary {
        train(byteWordCounts: byteWordCounts(lines: lines))
    }

    /// Trains on word counts (words as the normalizer and pre-tokenizer produce them; the counts
    /// of a word given twice add up).
    public func train(words: [(word: String, count: Int)]) -> Vocabulary {
        var counts: [[UInt8]: Int] = [:]
        for (word, count) in words { counts[Array(word.utf8), default: 0] += count }
        return train(byteWordCounts: counts)
    }

    func train(byteWordCounts wordCounts: [[UInt8]: Int]) -> Vocabulary {
        var tokens: [String] = []
        var idOf: [[UInt8]: Int32] = [:]
        func add(_ token: String) -> Int32 {
            let key = Array(token.utf8)
            if let id = idOf[key] { return id }
            let id = Int32(tokens.count)
            tokens.append(token)
            idOf[key] = id
            return id
        }
        // 1. Special tokens.
        for token in specialTokens { _ = add(token) }

        // 2. The alphabet: character counts weighted by word counts; the initial alphabet always
        // stays; beyond the limit the rarest go first (ties: higher code point first).
        let words = wordCounts.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var alphabet: [UInt32: Int] = [:]
        for word in words {
            let count = wordCounts[word]!
            for scalar in String(decoding: word, as: UTF8.self).unicodeScalars { alphabet[scalar.value, default: 0] += count }
        }
        for scalar in initialAlphabet { alphabet[scalar.value] = Int.max }
        var kept = Array(alphabet)
        if let limit = limitAlphabet, kept.count > limit {
            kept.sort { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
            kept.removeFirst(kept.count - limit)
        }
        kept.sort { $0.key < $1.key }
        for (cp, _) in kept { _ = add(String(Character(Unicode.Scalar(cp)!))) }

        // 3. Words as symbol ids; characters outside the alphabet are left out. HF numbers the
        // continuation characters ("##e") in the order it meets them while iterating a hash map of
        // words, so a character found in many distinct words usually comes first; that order
        // (by number of words, then code point) decides ties between equal pair counts here.
        var scalarsOf: [[Unicode.Scalar]] = []
        scalarsOf.reserveCapacity(words.count)
        var wordsWith: [UInt32: Int] = [:]
        for word in words {
            let scalars = Array(String(decoding: word, as: UTF8.self).unicodeScalars)
            scalarsOf.append(scalars)
            var seen = Set<UInt32>()
            var first = true
            for scalar in scalars {
                defer { first = false }
                guard !first, idOf[Array(String(Character(scalar)).utf8)] != nil, seen.insert(scalar.value).inserted else { continue }
                wordsWith[scalar.value, default: 0] += 1
            }
        }
        for (cp, _) in wordsWith.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            _ = add(continuingSubwordPrefix + String(Character(Unicode.Scalar(cp)!)))
        }
        var symbols: [[Int32]] = []
        var counts: [Int] = []
        symbols.reserveCapacity(words.count)
        for (w, word) in words.enumerated() {
            var ids: [Int32] = []
            var first = true
            for scalar in scalarsOf[w] {
                let char = String(Character(scalar))
                guard idOf[Array(char.utf8)] != nil else { first = false; continue }
                ids.append(add(first ? char : continuingSubwordPrefix + char))
                first = false
            }
            symbols.append(ids)
            counts.append(wordCounts[word]!)
        }

        // 4. Pair counts and where each pair occurs.
        var pairCounts: [UInt64: Int] = [:]
        var whereToUpdate: [UInt64: Set<Int>] = [:]
        for (w, ids) in symbols.enumerated() where ids.count > 1 {
            for k in 0..<(ids.count - 1) {
                let pair = PairQueue.key(ids[k], ids[k + 1])
                pairCounts[pair, default: 0] += counts[w]
                whereToUpdate[pair, default: []].insert(w)
            }
        }
        var queue = PairQueue()
        for pair in whereToUpdate.keys.sorted() {
            let count = pairCounts[pair]!
            if count > 0 { queue.push(count: count, pair: pair, positions: whereToUpdate[pair]!) }
        }
        whereToUpdate.removeAll()

        // 5. Merges.
        while tokens.count < vocabSize, var top = queue.pop() {
            let current = pairCounts[top.pair]!
            if top.count != current {
                top.count = current
                queue.push(top)
                continue
            }
            if top.count < 1 || minFrequency > top.count { break }
            let (a, b) = PairQueue.split(top.pair)
            var second = tokens[Int(b)]
            if !continuingSubwordPrefix.isEmpty, second.utf8.starts(with: continuingSubwordPrefix.utf8) {
                second = String(decoding: second.utf8.dropFirst(continuingSubwordPrefix.utf8.count), as: UTF8.self)
            }
            let newId = add(tokens[Int(a)] + second)
            for w in top.positions.sorted() {
                for (pair, change) in PairQueue.merge(&symbols[w], a, b, newId) {
                    pairCounts[pair, default: 0] += change * counts[w]
                    if change > 0 { whereToUpdate[pair, default: []].insert(w) }
                }
            }
            for pair in whereToUpdate.keys.sorted() {
                let count = pairCounts[pair]!
                if count > 0 { queue.push(count: count, pair: pair, positions: whereToUpdate[pair]!) }
            }
            whereToUpdate.removeAll(keepingCapacity: true)
        }
        return Vocabulary(tokens: tokens)
    }
}

/// The merge queue: highest count first, then the smaller pair of ids, then the older entry.
struct PairQueue {
    struct Entry {
        var count: Int
        var pair: UInt64
        var sequence: Int
        var positions: Set<Int>
    }
    private var heap: [Entry] = []
    private var sequence = 0

    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }
    static func split(_ pair: UInt64) -> (Int32, Int32) { (Int32(pair >> 32), Int32(truncatingIfNeeded: pair)) }

    private static func before(_ x: Entry, _ y: Entry) -> Bool {
        if x.count != y.count { return x.count > y.count }
        if x.pair != y.pair { return x.pair < y.pair }
        return x.sequence < y.sequence
    }

    mutating func push(count: Int, pair: UInt64, positions: Set<Int>) {
        push(Entry(count: count, pair: pair, sequence: 0, positions: positions))
    }

    mutating func push(_ entry: Entry) {
        var e = entry
        e.sequence = sequence
        sequence += 1
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !PairQueue.before(heap[i], heap[parent]) { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < heap.count && PairQueue.before(heap[l], heap[best]) { best = l }
            if r < heap.count && PairQueue.before(heap[r], heap[best]) { best = r }
            if best == i { break }
            heap.swapAt(i, best)
            i = best
        }
        return top
    }

    /// HF `Word::merge`: replaces every non-overlapping (a, b), left to right, by `merged`, and
    /// returns the pair count changes (−1 for pairs that disappear, +1 for new ones).
    static func merge(_ word: inout [Int32], _ a: Int32, _ b: Int32, _ merged: Int32) -> [(UInt64, Int)] {
        var changes: [(UInt64, Int)] = []
        var i = 0
        while i < word.count {
            if word[i] == a && i + 1 < word.count && word[i + 1] == b {
                if i > 0 {
                    changes.append((key(word[i - 1], a), -1))
                    changes.append((key(word[i - 1], merged), 1))
                }
                word.replaceSubrange(i...(i + 1), with: [merged])
                if i < word.count - 1 {
                    changes.append((key(b, word[i + 1]), -1))
                    changes.append((key(merged, word[i + 1]), 1))
                }
            }
            i += 1
        }
        return changes
    }
}
