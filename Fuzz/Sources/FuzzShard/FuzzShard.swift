// libFuzzer target: arbitrary bytes as a pretraining shard (.bkpt, memory-mapped), opened and every
// instance read. Truncated or foreign files must give PretrainingError.malformedShard, never a crash.
import BertKit
import Foundation
import FuzzSupport

let fuzzShard: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("shard", ext: "bkpt", data, size) else { return 0 }
    guard let shard = try? ShardReader(path: path) else { return 0 }
    for index in 0..<min(shard.count, 1024) { _ = try? shard.instance(at: index) }
    return 0
}
