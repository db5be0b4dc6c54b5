import Foundation
import Tokenization

/// Raw text prepared into instances in memory when a run starts (`bert pretrain --data corpus/`):
/// the streaming ``PretrainingDataPipeline`` with one pass (`dupeFactor` 1), either without
/// masks (for a ``DynamicMasker``: every epoch sees fresh masks) or with static masks (held-out
/// text, so evaluation is reproducible). The same text, vocabulary and seed always give the same
/// instances, so a resumed run prepares exactly what the interrupted one did.
///
/// ```swift
/// let tables = try PretrainingVocabulary(vocabulary: vocabulary)
/// let instances = try RawTextInstances.prepare(paths: ["corpus/"], vocabulary: tables, maxSeqLength: 128,
///                                              seed: 42, staticMasks: false)
/// let source = try InstanceDatasetSource(store: .memory(instances, staticallyMasked: false), vocabulary: tables,
///                                        sequenceLength: 128, masker: DynamicMasker(seed: 42))
/// ```
public enum RawTextInstances {
    /// Collects instances in an array.
    final class ArraySink: InstanceSink {
        var instances: [TrainingInstance] = []
        var instanceCount: Int { instances.count }
        func write(_ instance: TrainingInstance) throws { instances.append(instance) }
        func finish() throws {}
    }

    /// Instances from the text files under `paths` (one sentence per line, a blank line between
    /// documents; `splitSentences` treats each line as a paragraph).
    /// - Throws: ``PretrainingError`` for unreadable paths or a vocabulary without [CLS]/[SEP]/[MASK].
    public static func prepare(paths: [String], vocabulary: PretrainingVocabulary, maxSeqLength: Int,
                               maxPredictions: Int = 20, seed: Int, staticMasks: Bool, wholeWordMask: Bool = false,
                               splitSentences: Bool = false) throws -> [TrainingInstance] {
        var settings = PretrainingSettings()
        settings.seed = seed
        settings.maxSeqLength = maxSeqLength
        settings.maxPredictions = maxPredictions
        settings.dupeFactor = 1
        settings.wholeWordMask = wholeWordMask
        settings.staticMasking = staticMasks
        let tokenizer = try BertTokenizer(vocabulary: vocabulary.vocabulary, source: "vocabulary").googleFullTokenizer()
        let pipeline = try PretrainingDataPipeline(settings: settings, vocabulary: vocabulary)
        let stream = DocumentStream(files: try CorpusFiles.expand(paths), tokenizer: tokenizer,
                                    splitter: splitSentences ? SentenceSplitter() : nil)
        let sink = ArraySink()
        try pipeline.run(stream: stream, sink: sink)
        return sink.instances
    }
}
