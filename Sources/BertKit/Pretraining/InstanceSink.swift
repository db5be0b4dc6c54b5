/// Where prepared instances go: ``ShardSetWriter`` (binary shards) or
/// ``InstanceJSONLinesWriter`` (one JSON object per instance). `finish()` makes the output
/// appear; an unfinished sink leaves nothing behind.
///
/// ```swift
/// let sink: any InstanceSink = try InstanceJSONLinesWriter(path: "out.jsonl", vocabulary: vocab)
/// try sink.write(instance)
/// try sink.finish()
/// ```
public protocol InstanceSink: AnyObject {
    func write(_ instance: TrainingInstance) throws
    func finish() throws
    /// Instances written so far.
    var instanceCount: Int { get }
}

/// Writes one JSON object per line with exactly the keys of google-research/bert's
/// `TrainingInstance`, in its order: `tokens` (strings), `segment_ids`, `is_random_next`,
/// `masked_lm_positions`, `masked_lm_labels` (strings). Non-ASCII text is written as UTF-8.
///
/// ```swift
/// let writer = try InstanceJSONLinesWriter(path: "instances.jsonl", vocabulary: vocab)
/// try writer.write(instance); try writer.finish()
/// // {"tokens":["[CLS]","the",…],"segment_ids":[0,…],"is_random_next":false,…}
/// ```
public final class InstanceJSONLinesWriter: InstanceSink {
    private let file: StreamingFileWriter
    private let tokenJSON: [[UInt8]]
    public private(set) var instanceCount = 0
    private var line: [UInt8] = []

    public init(path: String, vocabulary: PretrainingVocabulary) throws {
        file = try StreamingFileWriter(path: path)
        tokenJSON = (0..<vocabulary.vocabulary.count).map { Self.quoted(vocabulary.vocabulary.token(for: $0) ?? "") }
    }

    public func write(_ instance: TrainingInstance) throws {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: "{\"tokens\":[".utf8)
        for (k, id) in instance.tokens.enumerated() {
            if k > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: tokenJSON[Int(id)])
        }
        line.append(contentsOf: "],\"segment_ids\":[".utf8)
        for k in 0..<instance.tokens.count {
            if k > 0 { line.append(UInt8(ascii: ",")) }
            line.append(k < instance.firstSegmentLength ? UInt8(ascii: "0") : UInt8(ascii: "1"))
        }
        line.append(contentsOf: "],\"is_random_next\":\(instance.isRandomNext),\"masked_lm_positions\":[".utf8)
        line.append(contentsOf: instance.maskedPositions.map(String.init).joined(separator: ",").utf8)
        line.append(contentsOf: "],\"masked_lm_labels\":[".utf8)
        for (k, id) in instance.maskedLabels.enumerated() {
            if k > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: tokenJSON[Int(id)])
        }
        line.append(contentsOf: "]}\n".utf8)
        try file.write(line)
        instanceCount += 1
    }

    public func finish() throws { try file.commit() }

    /// A JSON string literal (quotes, backslash and control characters escaped).
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
