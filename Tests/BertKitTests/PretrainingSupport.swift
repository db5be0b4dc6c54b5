import Foundation
import BertKit
import Tokenization

/// Collects instances in memory (tests).
final class CollectingSink: InstanceSink {
    var instances: [TrainingInstance] = []
    var finished = false
    var instanceCount: Int { instances.count }
    func write(_ instance: TrainingInstance) throws { instances.append(instance) }
    func finish() throws { finished = true }
}

/// Fixtures of Scripts/make_pretraining_fixtures.py.
enum PretrainingFixtures {
    static func url(_ name: String) -> URL { fixturesURL("pretraining").appendingPathComponent(name) }

    static func tokenizer() throws -> BertTokenizer {
        try BertTokenizer(vocabularyFile: url("vocab.txt")).googleFullTokenizer()
    }

    static func vocabulary() throws -> PretrainingVocabulary {
        try PretrainingVocabulary(tokenizer: tokenizer())
    }

    struct Case {
        var name: String
        var inputs: [String]
        var settings: PretrainingSettings
        var expected: String
        var count: Int
    }

    static func cases() throws -> [Case] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url("cases.json"))) as! [String: Any]
        return (json["cases"] as! [[String: Any]]).map { c in
            var s = PretrainingSettings()
            s.maxSeqLength = c["max_seq_length"] as! Int
            s.maxPredictions = c["max_predictions_per_seq"] as! Int
            s.maskedLMProbability = (c["masked_lm_prob"] as! NSNumber).doubleValue
            s.shortSeqProbability = (c["short_seq_prob"] as! NSNumber).doubleValue
            s.dupeFactor = c["dupe_factor"] as! Int
            s.wholeWordMask = c["do_whole_word_mask"] as! Bool
            s.seed = c["random_seed"] as! Int
            return Case(name: c["name"] as! String, inputs: c["inputs"] as! [String], settings: s,
                        expected: c["expected"] as! String, count: c["instances"] as! Int)
        }
    }

    /// One expected instance as the reference wrote it.
    struct Expected: Equatable, CustomStringConvertible {
        var tokens: [String]
        var segmentIds: [Int]
        var isRandomNext: Bool
        var positions: [Int]
        var labels: [String]
        var description: String { "\(tokens) \(segmentIds) \(isRandomNext) \(positions) \(labels)" }
    }

    static func parse(_ line: Substring) throws -> Expected {
        let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        return Expected(tokens: o["tokens"] as! [String], segmentIds: o["segment_ids"] as! [Int],
                        isRandomNext: o["is_random_next"] as! Bool, positions: o["masked_lm_positions"] as! [Int],
                        labels: o["masked_lm_labels"] as! [String])
    }

    static func expected(_ file: String) throws -> [Expected] {
        let text = try String(contentsOf: url(file), encoding: .utf8)
        return try text.split(separator: "\n").map(parse)
    }

    static func asExpected(_ instance: TrainingInstance, _ vocab: PretrainingVocabulary) -> Expected {
        Expected(tokens: instance.tokens.map(vocab.token), segmentIds: instance.segmentIds.map { Int($0) },
                 isRandomNext: instance.isRandomNext, positions: instance.maskedPositions.map { Int($0) },
                 labels: instance.maskedLabels.map(vocab.token))
    }

    /// Runs the Google-compatible pipeline on a case.
    static func run(_ c: Case, googleCompatible: Bool = true) throws -> [TrainingInstance] {
        let tokenizer = try tokenizer()
        let vocab = try PretrainingVocabulary(tokenizer: tokenizer)
        let pipeline = try PretrainingDataPipeline(settings: c.settings, vocabulary: vocab, googleCompatible: googleCompatible)
        let stream = DocumentStream(files: try CorpusFiles.expand(c.inputs.map { url($0).path }), tokenizer: tokenizer)
        let sink = CollectingSink()
        try pipeline.run(stream: stream, sink: sink)
        return sink.instances
    }
}
