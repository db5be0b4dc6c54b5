import BertKit
import Tokenization
import Foundation
import FuzzSupport

// `FUZZ_WRITE_SEED=<path> FuzzShard`: writes a valid shard (instances of the pretraining fixture text,
// static masks) for Scripts/fuzz.sh to seed the corpus with, then exits without fuzzing.
if let seed = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEED"] {
    do {
        let tables = try PretrainingVocabulary(vocabulary: try Vocabulary(contentsOf: URL(fileURLWithPath: fuzzPretrainingVocabularyPath())))
        let text = ProcessInfo.processInfo.environment["FUZZ_SEED_TEXT"] ?? "Tests/BertKitTests/Fixtures/pretraining/edge.txt"
        let instances = try RawTextInstances.prepare(paths: [text], vocabulary: tables, maxSeqLength: 32, maxPredictions: 5,
                                                     seed: 1, staticMasks: true)
        let writer = try ShardWriter(path: seed, maxSeqLength: 32, maxPredictions: 5, staticallyMasked: true)
        for instance in instances.prefix(8) { try writer.write(instance) }
        try writer.finish()
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("FuzzShard: cannot write the seed shard: \(error)\n".utf8))
        exit(1)
    }
}
runFuzzer(fuzzShard)
