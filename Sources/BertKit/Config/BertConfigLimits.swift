import Foundation

/// The sizes a `BertConfig` may state, and the memory its model needs — checked before anything
/// is allocated, with arithmetic that cannot overflow.
///
/// A config.json comes from outside: `"vocab_size": 1000000000000` or `"num_hidden_layers":
/// 1000000000` must be a typed error naming the field, not an out-of-memory abort halfway
/// through building the model. The per-field limits are far above every published BERT
/// (bert-large: 30,522 × 1,024, 24 layers); the memory check then catches combinations that
/// pass each limit but not this machine.
///
/// ```swift
/// let config = try BertConfig(contentsOf: url)     // runs validate(): limits, then memory
/// config.parameterCount                            // 109_482_240 for bert-base with pooler
/// ```
extension BertConfig {
    /// Largest value accepted for each size field of config.json (inclusive).
    public static let limits: [(field: String, maximum: Int)] = [
        ("vocab_size", 1 << 24),
        ("hidden_size", 1 << 16),
        ("num_hidden_layers", 1 << 10),
        ("num_attention_heads", 1 << 16),
        ("intermediate_size", 1 << 18),
        ("max_position_embeddings", 1 << 20),
        ("type_vocab_size", 1 << 16),
        ("num_labels", 1 << 20),
    ]

    /// The largest accepted value of a size field (see ``limits``).
    public static func limit(_ field: String) -> Int {
        limits.first { $0.field == field }?.maximum ?? Int.max
    }

    /// Parameters of the encoder with its pooler, the MLM head and a classifier (an upper bound
    /// for every head), or nil when the count does not fit in an `Int`.
    public var parameterCount: Int? {
        var total = Checked(0)
        let h = Checked(hiddenSize), i = Checked(intermediateSize)
        total += (Checked(vocabSize) + Checked(maxPositionEmbeddings) + Checked(typeVocabSize) + 2) * h
        var layer = (h * 4 + 4) * h                       // query, key, value, output (+ biases)
        layer += (h * 2 + 1) * i + h                      // intermediate and output dense
        layer += h * 4                                    // two layer norms
        if positionEmbeddingType != .absolute {
            layer += (Checked(maxPositionEmbeddings) * 2) * Checked(headDim)   // distance table
        }
        total += layer * Checked(numHiddenLayers)
        total += (h + 1) * h                              // pooler
        total += (h + 3) * h + Checked(vocabSize)         // MLM transform, layer norm, decoder bias
        total += (h + 1) * Checked(Swift.max(numLabels, 2))   // classifier / NSP
        return total.value
    }

    /// Bytes of Float32 weights the model needs, or nil when it does not fit in an `Int`.
    public var weightBytes: Int? {
        guard let parameters = parameterCount else { return nil }
        return (Checked(parameters) * MemoryLayout<Float>.stride).value
    }

    /// Checks every size field against ``limits`` and the model's weights against this
    /// machine's memory; throws `BertError.invalidConfig` naming the field.
    func validateSizes(memory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let values: [String: Int] = [
            "vocab_size": vocabSize, "hidden_size": hiddenSize, "num_hidden_layers": numHiddenLayers,
            "num_attention_heads": numAttentionHeads, "intermediate_size": intermediateSize,
            "max_position_embeddings": maxPositionEmbeddings, "type_vocab_size": typeVocabSize,
            "num_labels": numLabels,
        ]
        for (field, maximum) in Self.limits {
            guard let value = values[field], value > maximum else { continue }
            throw BertError.invalidConfig("\(field) \(value) is above the limit \(maximum)")
        }
        guard let bytes = weightBytes, let parameters = parameterCount else {
            throw BertError.invalidConfig("the model's parameter count overflows (vocab_size \(vocabSize), "
                + "hidden_size \(hiddenSize), num_hidden_layers \(numHiddenLayers), intermediate_size \(intermediateSize))")
        }
        if UInt64(bytes) > memory {
            throw BertError.invalidConfig("the model needs \(Self.formatBytes(UInt64(bytes))) for its weights "
                + "(\(parameters) parameters), more than this machine's \(Self.formatBytes(memory)) of memory "
                + "(vocab_size \(vocabSize), hidden_size \(hiddenSize), num_hidden_layers \(numHiddenLayers), "
                + "intermediate_size \(intermediateSize), max_position_embeddings \(maxPositionEmbeddings))")
        }
    }

    /// "3.6 TB", "512 MB": decimal units, one decimal below 10.
    static func formatBytes(_ bytes: UInt64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        let number = value < 10 && unit > 0 ? String(format: "%.1f", value) : "\(Int(value))"
        return number + " " + units[unit]
    }
}

/// An `Int` that becomes nil (and stays nil) on overflow: size arithmetic on untrusted configs.
struct Checked {
    var value: Int?
    init(_ value: Int?) { self.value = value }

    static func + (a: Checked, b: Checked) -> Checked {
        guard let x = a.value, let y = b.value else { return Checked(nil) }
        let (r, o) = x.addingReportingOverflow(y)
        return Checked(o ? nil : r)
    }
    static func * (a: Checked, b: Checked) -> Checked {
        guard let x = a.value, let y = b.value else { return Checked(nil) }
        let (r, o) = x.multipliedReportingOverflow(by: y)
        return Checked(o ? nil : r)
    }
    static func + (a: Checked, b: Int) -> Checked { a + Checked(b) }
    static func * (a: Checked, b: Int) -> Checked { a * Checked(b) }
    static func += (a: inout Checked, b: Checked) { a = a + b }
}
