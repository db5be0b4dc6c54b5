// libFuzzer target: arbitrary bytes encoded by the bert-base-uncased tokenizer (vocabulary
// from Tests/TokenizationTests/Fixtures, found through FUZZ_VOCAB): as one text, and split at
// the first tab as a pair under truncation, then decoded. Invalid UTF-8 is repaired, never a crash.
import Foundation
import FuzzSupport
import Tokenization

let tokenizer: BertTokenizer = {
    let path = ProcessInfo.processInfo.environment["FUZZ_VOCAB"] ?? "Tests/TokenizationTests/Fixtures/vocab-uncased.txt"
    do { return try BertTokenizer(vocabularyFile: URL(fileURLWithPath: path)) } catch {
        fatalError("FuzzEncode needs FUZZ_VOCAB=<vocab.txt>: \(error)")
    }
}()

let truncating: BertTokenizer = {
    var t = tokenizer
    t.truncation = Truncation(maxLength: 16, strategy: .longestFirst, stride: 4)
    return t
}()

let fuzzEncode: FuzzCallback = { data, size in
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let e = try? tokenizer.encode(utf8: bytes) { _ = tokenizer.decode(e.ids) }
    if let tab = bytes.firstIndex(of: 0x09) {
        let first = UnsafeBufferPointer(rebasing: bytes[..<tab])
        let second = UnsafeBufferPointer(rebasing: bytes[(tab + 1)...])
        _ = try? truncating.encode(utf8: first, pair: second)
    }
    return 0
}
