// Tokenizer micro-benchmark: load times and in-process encoding throughput (no I/O), one thread
// and batch on all cores. The whole-CLI comparison with HF is Scripts/bench_tokenizer.sh.
//
//   swift run -c release TokenizerBench <vocab.txt> <tokenizer.json> <text file>
import Foundation
import Tokenization

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let args = CommandLine.arguments
guard args.count == 4 else {
    print("usage: TokenizerBench <vocab.txt> <tokenizer.json> <text file>")
    exit(2)
}
let tables = seconds { _ = BertNormalizer().normalize("x") }
var vocabulary: Vocabulary!
let vocabLoad = try seconds { vocabulary = try Vocabulary(contentsOf: URL(fileURLWithPath: args[1])) }
var tokenizer: BertTokenizer!
let build = try seconds { tokenizer = try BertTokenizer(vocabulary: vocabulary) }
let jsonLoad = try seconds { _ = try BertTokenizer(tokenizerFile: URL(fileURLWithPath: args[2])) }
print(String(format: "load: unicode tables %.1f ms, vocab.txt %.1f ms, tokenizer (trie) %.1f ms, tokenizer.json %.1f ms",
             tables * 1e3, vocabLoad * 1e3, build * 1e3, jsonLoad * 1e3))

let data = try Data(contentsOf: URL(fileURLWithPath: args[3]))
let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
let megabytes = Double(data.count) / 1e6
var tokens = 0
var best = Double.infinity
for _ in 0..<3 {
    tokens = 0
    best = min(best, try seconds { for line in lines { tokens += try tokenizer.encode(line).count } })
}
print(String(format: "encode, one thread: %.3f s, %.1f MB/s, %.2f M tokens/s (%d lines, %.1f MB)",
             best, megabytes / best, Double(tokens) / best / 1e6, lines.count, megabytes))
best = .infinity
for _ in 0..<3 { best = min(best, try seconds { _ = try tokenizer.encodeBatch(lines) }) }
print(String(format: "encodeBatch, all cores (%d): %.3f s, %.1f MB/s", ProcessInfo.processInfo.activeProcessorCount,
             best, megabytes / best))
let encoder = JSONLinesEncoder(tokenizer: tokenizer, pairs: false)
best = .infinity
var outBytes = 0
for _ in 0..<3 { best = min(best, try seconds { outBytes = try encoder.encode([UInt8](data)).count }) }
print(String(format: "JSON lines, all cores: %.3f s, %.1f MB/s in, %.1f MB out", best, megabytes / best, Double(outBytes) / 1e6))
