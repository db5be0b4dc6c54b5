import Foundation
import Testing
import BertKit

/// The malformed-input corpus for config.json (issue 15): sizes no machine can hold, negative
/// and huge counts, wrong types, broken JSON and special files. Each case must throw a
/// `BertError` naming the file and the field, allocate nothing and leave no file behind.
@Suite struct MalformedConfigCorpusTests {
    /// A small valid config with `overrides` (raw JSON values) replacing or adding fields.
    static func config(_ overrides: [(String, String)]) -> String {
        var fields: [(String, String)] = [
            ("vocab_size", "99"), ("hidden_size", "20"), ("num_hidden_layers", "2"),
            ("num_attention_heads", "4"), ("intermediate_size", "37"), ("max_position_embeddings", "40"),
            ("type_vocab_size", "3"),
        ]
        for (key, value) in overrides {
            if let i = fields.firstIndex(where: { $0.0 == key }) { fields[i].1 = value } else { fields.append((key, value)) }
        }
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// (case, config.json text, fragments the error must contain besides the path).
    static let cases: [(String, String, [String])] = [
        ("vocab_size 10^12", config([("vocab_size", "1000000000000")]), ["vocab_size", "limit"]),
        ("max_position_embeddings 10^12", config([("max_position_embeddings", "1000000000000")]),
         ["max_position_embeddings", "limit"]),
        ("intermediate_size 10^12", config([("intermediate_size", "1000000000000")]), ["intermediate_size", "limit"]),
        ("hidden_size 2^40", config([("hidden_size", "1099511627776"), ("num_attention_heads", "1")]),
         ["hidden_size", "limit"]),
        ("num_hidden_layers 10^9", config([("num_hidden_layers", "1000000000")]), ["num_hidden_layers", "limit"]),
        ("type_vocab_size 10^9", config([("type_vocab_size", "1000000000")]), ["type_vocab_size", "limit"]),
        ("num_attention_heads 2^20", config([("hidden_size", "1048576"), ("num_attention_heads", "1048576")]),
         ["limit"]),
        ("weights beyond memory", config([("vocab_size", "16777216"), ("hidden_size", "65536"),
                                          ("num_attention_heads", "1")]), ["needs", "TB", "for its weights"]),
        ("layers x width beyond memory", config([("num_hidden_layers", "1024"), ("hidden_size", "16384"),
                                                 ("num_attention_heads", "16"), ("intermediate_size", "65536")]),
         ["for its weights", "num_hidden_layers 1024"]),
        ("num_labels -1", config([("num_labels", "-1")]), ["num_labels", "-1"]),
        ("num_labels 10^9", config([("num_labels", "1000000000")]), ["num_labels", "1000000000"]),
        ("num_labels 10^15", config([("num_labels", "1000000000000000")]), ["num_labels"]),
        ("vocab_size -5", config([("vocab_size", "-5")]), ["vocab_size must be a positive integer"]),
        ("vocab_size 0", config([("vocab_size", "0")]), ["vocab_size must be a positive integer"]),
        ("vocab_size string", config([("vocab_size", "\"many\"")]), ["vocab_size must be an integer"]),
        ("vocab_size 1e30", config([("vocab_size", "1e30")]), ["vocab_size must be an integer", "1e+30"]),
        ("vocab_size 3.5", config([("vocab_size", "3.5")]), ["vocab_size must be an integer", "3.5"]),
        ("vocab_size true", config([("vocab_size", "true")]), ["vocab_size must be an integer"]),
        ("num_labels 2^64", config([("num_labels", "18446744073709551616")]), ["num_labels must be an integer"]),
        ("hidden_size 0", config([("hidden_size", "0")]), ["hidden_size must be a positive integer"]),
        ("num_attention_heads 0", config([("num_attention_heads", "0")]), ["num_attention_heads"]),
        ("hidden not a multiple of heads", config([("num_attention_heads", "3")]),
         ["hidden_size 20 is not a multiple of num_attention_heads 3"]),
        ("num_hidden_layers -1", config([("num_hidden_layers", "-1")]), ["num_hidden_layers"]),
        ("pad_token_id outside vocab", config([("pad_token_id", "99")]), ["pad_token_id 99"]),
        ("layer_norm_eps 0", config([("layer_norm_eps", "0")]), ["layer_norm_eps"]),
        ("hidden_dropout_prob 1.5", config([("hidden_dropout_prob", "1.5")]), ["hidden_dropout_prob"]),
        ("hidden_act unknown", config([("hidden_act", "\"swishy\"")]), ["swishy"]),
        ("position_embedding_type unknown", config([("position_embedding_type", "\"rotary\"")]),
         ["position_embedding_type", "rotary"]),
        ("problem_type unknown", config([("problem_type", "\"ranking\"")]), ["problem_type", "ranking"]),
        ("id2label key not an integer", config([("id2label", "{\"x\": \"A\"}")]), ["id2label key \"x\""]),
        ("id2label keys with a gap", config([("id2label", "{\"0\": \"A\", \"5\": \"B\"}")]), ["id2label keys"]),
        ("id2label not an object", config([("id2label", "[\"A\"]")]), ["id2label"]),
        ("is_decoder not a bool", config([("is_decoder", "\"yes\"")]), ["is_decoder must be true or false"]),
        ("truncated JSON", "{\"vocab_size\": 99, ", ["not valid JSON"]),
        ("empty file", "", ["not valid JSON"]),
        ("top level array", "[1, 2]", ["config"]),
        ("200,000-deep nesting", String(repeating: "[", count: 200_000), ["not valid JSON"]),
    ]

    @Test(arguments: cases)
    func malformedConfigIsATypedErrorNamingTheField(name: String, text: String, fragments: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("config.json", text)
        let before = scratch.listing()
        do {
            let config = try BertConfig(contentsOf: url)
            Issue.record("\(name): accepted as \(config)")
        } catch let error as BertError {
            guard case .malformedFile(let path, _) = error else {
                Issue.record("\(name): expected malformedFile, got \(error)")
                return
            }
            #expect(path == url.path)
            expectMessage(error.description, names: url.path, fragments, name)
        }
        #expect(scratch.listing() == before, "\(name): files left behind")
    }

    @Test func invalidUTF8IsNotValidJSON() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("config.json", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])
        #expect(throws: BertError.self) { try BertConfig(contentsOf: url) }
    }

    @Test(arguments: ["fifo", "directory"])
    func specialFilesAreRefusedUnopened(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = scratch.path("config.json")
        if kind == "fifo" { try scratch.fifo("config.json") } else {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        }
        do {
            _ = try BertConfig(contentsOf: url)
            Issue.record("a \(kind) was accepted as config.json")
        } catch let error as BertError {
            expectMessage(error.description, names: url.path, ["not a regular file"], kind)
        }
    }

    /// Two ids with the same label name: HF keeps the last id in label2id; so do we (no trap).
    @Test func duplicateLabelNamesLoad() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let url = try scratch.write("config.json", Self.config([("id2label", "{\"0\": \"SAME\", \"1\": \"SAME\"}")]))
        let config = try BertConfig(contentsOf: url)
        #expect(config.numLabels == 2)
        #expect(config.label2id == ["SAME": 1])
    }

    /// The estimate behind the memory check equals HF's BertForPreTraining parameter count
    /// (encoder, pooler, MLM head, two-way NSP classifier), from Scripts/count_bert_parameters.py.
    @Test func parameterCountMatchesTransformers() {
        #expect(BertConfig.base.parameterCount == 110_106_428)
        let tiny = BertConfig(vocabSize: 99, hiddenSize: 20, numHiddenLayers: 2, numAttentionHeads: 4,
                              intermediateSize: 37, maxPositionEmbeddings: 40, typeVocabSize: 3)
        #expect(tiny.parameterCount == 10_495)
    }
}
