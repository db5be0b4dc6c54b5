/// google-research/bert's `create_training_instances` and `create_instances_from_document` on
/// a ``DocumentStore``, drawing from ``PythonRandom`` exactly where the script draws.
///
/// The algorithm: shuffle the documents; for each of `dupeFactor` passes and each document,
/// pick a target length (`maxSeqLength - 3`, or with probability `shortSeqProbability` a random
/// length from 2), gather sentences into a chunk until the target is reached, split the chunk at
/// a random sentence into A and B; with probability ½ (always for a one-sentence chunk) B is
/// instead taken from a random other document from a random sentence on, and the chunk's unused
/// sentences are put back; the pair is truncated to fit, one token at a time from the front or
/// the back of the longer side at random; then `[CLS] A [SEP] B [SEP]` is masked
/// (``MaskedLMPredictions``). Finally all instances are shuffled.
///
/// ```swift
/// var rng = PythonRandom(seed: settings.seed)
/// let builder = GoogleInstanceBuilder(settings: settings, vocabulary: vocab)
/// let instances = builder.createTrainingInstances(store, rng: &rng)
/// ```
public struct GoogleInstanceBuilder: Sendable {
    public let settings: PretrainingSettings
    public let vocabulary: PretrainingVocabulary
    let masking: MaskedLMPredictions

    public init(settings: PretrainingSettings, vocabulary: PretrainingVocabulary) {
        self.settings = settings
        self.vocabulary = vocabulary
        masking = MaskedLMPredictions(vocabulary: vocabulary, probability: settings.maskedLMProbability,
                                      maxPredictions: settings.maxPredictions, wholeWord: settings.wholeWordMask)
    }

    /// Every instance of the store: document shuffle, `dupeFactor` passes, instance shuffle.
    public func createTrainingInstances(_ store: DocumentStore, rng: inout PythonRandom) -> [TrainingInstance] {
        var order = Array(0..<store.documentCount)
        rng.shuffle(&order)
        var instances: [TrainingInstance] = []
        for _ in 0..<settings.dupeFactor {
            for d in 0..<order.count {
                appendInstances(fromDocument: d, order: order, store: store, rng: &rng, to: &instances)
            }
        }
        rng.shuffle(&instances)
        return instances
    }

    /// The instances of document `d` of the shuffled list `order` (indices into `store`).
    public func appendInstances(fromDocument d: Int, order: [Int], store: DocumentStore,
                                rng: inout PythonRandom, to instances: inout [TrainingInstance]) {
        let document = store.sentences(ofDocument: order[d])
        let maxTokens = settings.maxSeqLength - 3
        var target = maxTokens
        if rng.random() < settings.shortSeqProbability { target = rng.randint(2, maxTokens) }

        var chunk: [Int] = []          // sentence indices into the store
        var chunkLength = 0
        var i = 0
        var a: [Int32] = [], b: [Int32] = []
        while i < document.count {
            let sentence = document.lowerBound + i
            chunk.append(sentence)
            chunkLength += store.sentenceLength(sentence)
            if i == document.count - 1 || chunkLength >= target {
                if !chunk.isEmpty {
                    var aEnd = 1
                    if chunk.count >= 2 { aEnd = rng.randint(1, chunk.count - 1) }
                    a.removeAll(keepingCapacity: true)
                    b.removeAll(keepingCapacity: true)
                    for j in 0..<aEnd { a.append(contentsOf: store.sentence(chunk[j])) }
                    var isRandomNext = false
                    if chunk.count == 1 || rng.random() < 0.5 {
                        isRandomNext = true
                        let targetB = target - a.count
                        var randomDocument = 0
                        for _ in 0..<10 {
                            randomDocument = rng.randint(0, order.count - 1)
                            if randomDocument != d { break }
                        }
                        let other = store.sentences(ofDocument: order[randomDocument])
                        let start = rng.randint(0, other.count - 1)
                        for j in (other.lowerBound + start)..<other.upperBound {
                            b.append(contentsOf: store.sentence(j))
                            if b.count >= targetB { break }
                        }
                        i -= chunk.count - aEnd
                    } else {
                        for j in aEnd..<chunk.count { b.append(contentsOf: store.sentence(chunk[j])) }
                    }
                    let (aRange, bRange) = truncatePair(a.count, b.count, maxTokens: maxTokens, rng: &rng)
                    var tokens: [Int32] = []
                    tokens.reserveCapacity(aRange.count + bRange.count + 3)
                    tokens.append(vocabulary.clsId)
                    tokens.append(contentsOf: a[aRange])
                    tokens.append(vocabulary.sepId)
                    tokens.append(contentsOf: b[bRange])
                    tokens.append(vocabulary.sepId)
                    var instance = TrainingInstance(tokens: tokens, firstSegmentLength: aRange.count + 2,
                                                    isRandomNext: isRandomNext)
                    if settings.staticMasking {
                        let (positions, labels) = masking.apply(to: &instance.tokens, rng: &rng)
                        instance.maskedPositions = positions
                        instance.maskedLabels = labels
                    }
                    instances.append(instance)
                }
                chunk.removeAll(keepingCapacity: true)
                chunkLength = 0
            }
            i += 1
        }
    }

    /// `truncate_seq_pair`: the kept ranges of A and B after removing tokens, one at a time from
    /// the longer side (B on a tie), from its front or back at random, until they fit.
    func truncatePair(_ aCount: Int, _ bCount: Int, maxTokens: Int,
                      rng: inout PythonRandom) -> (Range<Int>, Range<Int>) {
        var a = 0..<aCount, b = 0..<bCount
        while a.count + b.count > maxTokens {
            let front = rng.random() < 0.5
            if a.count > b.count {
                a = front ? (a.lowerBound + 1)..<a.upperBound : a.lowerBound..<(a.upperBound - 1)
            } else {
                b = front ? (b.lowerBound + 1)..<b.upperBound : b.lowerBound..<(b.upperBound - 1)
            }
        }
        return (a, b)
    }
}
