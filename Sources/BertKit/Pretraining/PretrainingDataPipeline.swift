import Foundation

/// Raw text → instances → a sink, in one of two modes:
///
/// - **Google-compatible** (`googleCompatible: true`): the whole corpus is tokenized into one
///   ``DocumentStore`` (as compact ids) and ``GoogleInstanceBuilder`` runs once with
///   `PythonRandom(seed)`, so the output equals google-research/bert's
///   `create_pretraining_data.py` instance for instance. Memory grows with the corpus (about
///   4 bytes per token plus the instances), exactly like the reference — use it for corpora that
///   fit in RAM.
/// - **Streaming** (default): documents are collected into blocks of about `blockTokens` tokens;
///   each block is processed like the reference (its own document shuffle, dupe passes, random
///   next documents from the same block, instance shuffle) with the stream
///   `PythonRandom(key: [seed low, seed high, block])` (block 0: `PythonRandom(seed)`), and written
///   out before the next block is read. Memory is bounded by the block (a document longer than
///   4 × `blockTokens` is cut), whatever the corpus size. Each file ends its last document, and
///   lines over 4 MiB are cut. A corpus that fits one block gives the Google-compatible result
///   when its files end with a blank line.
///
/// ```swift
/// let tokenizer = try BertTokenizer(vocabularyFile: vocabURL).googleFullTokenizer()
/// let vocab = try PretrainingVocabulary(tokenizer: tokenizer)
/// let pipeline = try PretrainingDataPipeline(settings: PretrainingSettings(), vocabulary: vocab)
/// let stream = DocumentStream(files: try CorpusFiles.expand(["corpus/"]), tokenizer: tokenizer)
/// let sink = try ShardSetWriter(directory: "data", maxSeqLength: 128, maxPredictions: 20)
/// let summary = try pipeline.run(stream: stream, sink: sink)
/// ```
public struct PretrainingDataPipeline: Sendable {
    public let settings: PretrainingSettings
    public let vocabulary: PretrainingVocabulary
    public var googleCompatible: Bool
    /// Tokens per block in streaming mode.
    public var blockTokens: Int

    /// Counters reported while running and at the end.
    public struct Progress: Sendable, Equatable {
        public var documents = 0
        public var sentences = 0
        public var instances = 0
        public var bytesRead = 0
        public var totalBytes = 0
        public var blocks = 0
    }

    /// - Throws: ``PretrainingError/invalidSetting(name:detail:)`` for unusable settings.
    public init(settings: PretrainingSettings, vocabulary: PretrainingVocabulary, googleCompatible: Bool = false,
                blockTokens: Int = 1 << 20) throws {
        try settings.validate()
        guard blockTokens >= 1 else { throw PretrainingError.invalidSetting(name: "blockTokens", detail: "< 1") }
        self.settings = settings
        self.vocabulary = vocabulary
        self.googleCompatible = googleCompatible
        self.blockTokens = blockTokens
    }

    /// The random stream of streaming block `block`.
    public func blockRandom(_ block: Int) -> PythonRandom {
        if block == 0 { return PythonRandom(seed: settings.seed) }
        let seed = UInt64(settings.seed)
        return PythonRandom(key: [UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32),
                                  UInt32(truncatingIfNeeded: block)])
    }

    /// Reads `stream`, writes every instance to `sink` and finishes it.
    @discardableResult
    public func run(stream: DocumentStream, sink: any InstanceSink,
                    progress report: ((Progress) -> Void)? = nil) throws -> Progress {
        var progress = Progress()
        progress.totalBytes = stream.totalBytes
        stream.documentPerFile = !googleCompatible
        stream.maxLineBytes = googleCompatible ? nil : 1 << 22
        let builder = GoogleInstanceBuilder(settings: settings, vocabulary: vocabulary)
        var store = DocumentStore()
        let hardLimit = googleCompatible ? Int.max : 4 * blockTokens

        func processBlock() throws {
            guard store.documentCount > 0 else { return }
            var rng = blockRandom(progress.blocks)
            let instances = builder.createTrainingInstances(store, rng: &rng)
            for instance in instances { try sink.write(instance) }
            progress.instances += instances.count
            progress.blocks += 1
            store.removeAll()
            report?(progress)
        }

        var forceNewDocument = false
        stream.onBatch = { bytes in progress.bytesRead = bytes; report?(progress) }
        try stream.forEachSentence { ids, startsDocument in
            var starts = startsDocument || forceNewDocument
            forceNewDocument = false
            if !googleCompatible, starts, store.tokenCount >= blockTokens { try processBlock() }
            if !googleCompatible, store.tokenCount >= hardLimit { try processBlock(); starts = true }
            if starts || store.documentCount == 0 { progress.documents += 1 }
            store.appendSentence(ids, startsDocument: starts)
            progress.sentences += 1
        }
        stream.onBatch = nil
        try processBlock()
        try sink.finish()
        progress.bytesRead = stream.bytesRead
        report?(progress)
        return progress
    }
}
