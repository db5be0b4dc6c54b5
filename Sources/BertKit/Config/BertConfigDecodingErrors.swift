import Foundation

/// config.json decoding failures in words that name the field — "vocab_size must be an
/// integer, got 1e+30" — instead of Foundation's "The given data was not valid JSON" or an
/// error domain and code.
///
/// ```swift
/// catch let error as DecodingError { reason = BertConfig.integerFieldProblem(data) ?? BertConfig.describe(error) }
/// ```
extension BertConfig {
    /// Foundation's decoder calls a number that does not fit an `Int` (1e30, 3.5, 2^64) "not
    /// valid JSON"; this names the field instead, or returns nil.
    static func integerFieldProblem(_ data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let integers: [CodingKeys] = [.vocabSize, .hiddenSize, .numHiddenLayers, .numAttentionHeads, .intermediateSize,
                                      .maxPositionEmbeddings, .typeVocabSize, .padTokenId, .numLabels]
        for key in integers {
            guard let value = object[key.rawValue] as? NSNumber else { continue }
            let double = value.doubleValue
            if double.rounded() != double || abs(double) >= 0x1p63 {
                return "\(key.rawValue) must be an integer, got \(value)"
            }
        }
        return nil
    }

    /// A decoding failure in words, naming the field: no Foundation error domains or codes.
    static func describe(_ error: DecodingError) -> String {
        func field(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let expected = type == Int.self ? "an integer" : type == Double.self ? "a number"
                : type == Bool.self ? "true or false" : type == String.self ? "a string" : "\(type)"
            return "\(field(context)) must be \(expected)"
        case let .keyNotFound(key, context):
            return "\(field(context).isEmpty ? "" : field(context) + ".")\(key.stringValue) is missing"
        case let .dataCorrupted(context) where !context.codingPath.isEmpty:
            return "\(field(context)): \(context.debugDescription)"
        case .dataCorrupted:
            return "not valid JSON (check for a missing comma, quote or brace, or a file that is not UTF-8)"
        @unknown default:
            return "not a valid JSON config"
        }
    }
}
