/// google-research/bert's `create_masked_lm_predictions`, on token ids with `PythonRandom`
/// draws in the script's order, so the result equals the script's for the same seed.
///
/// Candidates are all positions except [CLS]/[SEP]; with whole-word masking a "##" piece joins
/// the candidate group of the piece before it. The groups are shuffled, then taken in order
/// until `min(maxPredictions, max(1, round(n · p)))` positions (Python's round: half to even)
/// are chosen; a group that would overshoot is skipped. Each chosen position becomes [MASK]
/// (80 %), stays (10 %) or becomes a random vocabulary word (10 %). Positions come out sorted.
///
/// ```swift
/// var rng = PythonRandom(seed: 12345)
/// var tokens: [Int32] = [cls, 7592, 2088, sep]
/// let (positions, labels) = MaskedLMPredictions(vocabulary: vocab, probability: 0.15,
///     maxPredictions: 20, wholeWord: false).apply(to: &tokens, rng: &rng)
/// ```
public struct MaskedLMPredictions: Sendable {
    public let vocabulary: PretrainingVocabulary
    public let probability: Double
    public let maxPredictions: Int
    public let wholeWord: Bool

    public init(vocabulary: PretrainingVocabulary, probability: Double, maxPredictions: Int, wholeWord: Bool) {
        self.vocabulary = vocabulary
        self.probability = probability
        self.maxPredictions = maxPredictions
        self.wholeWord = wholeWord
    }

    /// The number of predictions for `length` tokens: `min(maxPredictions, max(1, round(length·p)))`.
    public func predictionCount(length: Int) -> Int {
        min(maxPredictions, max(1, Int((Double(length) * probability).rounded(.toNearestOrEven))))
    }

    /// Masks `tokens` in place and returns the sorted masked positions and their original ids.
    public func apply(to tokens: inout [Int32], rng: inout PythonRandom) -> (positions: [Int32], labels: [Int32]) {
        // Candidate groups as (start, count) into `members` (flat, no array per group).
        var groupStart: [Int32] = []
        var groupCount: [Int32] = []
        var members: [Int32] = []
        groupStart.reserveCapacity(tokens.count)
        groupCount.reserveCapacity(tokens.count)
        members.reserveCapacity(tokens.count)
        let continuation = vocabulary.isContinuation
        for (i, token) in tokens.enumerated() {
            if token == vocabulary.clsId || token == vocabulary.sepId { continue }
            if wholeWord, !groupStart.isEmpty, Int(token) < continuation.count, continuation[Int(token)] {
                // Members of the last group are contiguous in `members` (appended in order).
                members.append(Int32(i))
                groupCount[groupCount.count - 1] += 1
            } else {
                groupStart.append(Int32(members.count))
                groupCount.append(1)
                members.append(Int32(i))
            }
        }
        var order = Array(0..<groupStart.count)
        rng.shuffle(&order)

        let original = tokens
        let toPredict = predictionCount(length: tokens.count)
        var chosen: [Int32] = []
        chosen.reserveCapacity(toPredict)
        var covered = [Bool](repeating: false, count: tokens.count)
        for g in order {
            if chosen.count >= toPredict { break }
            let start = Int(groupStart[g]), count = Int(groupCount[g])
            if chosen.count + count > toPredict { continue }
            let group = members[start..<(start + count)]
            if group.contains(where: { covered[Int($0)] }) { continue }
            for index in group {
                covered[Int(index)] = true
                let replacement: Int32
                if rng.random() < 0.8 {
                    replacement = vocabulary.maskId
                } else if rng.random() < 0.5 {
                    replacement = original[Int(index)]
                } else {
                    let words = vocabulary.randomWordIds
                    replacement = words[rng.randint(0, words.count - 1)]
                }
                tokens[Int(index)] = replacement
                chosen.append(index)
            }
        }
        chosen.sort()
        return (chosen, chosen.map { original[Int($0)] })
    }
}
