// One strict JSON reader for the package's hostile inputs: safetensors headers (TensorCore) and
// tokenizer.json (Tokenization). Own parser rather than Foundation's: objects keep every member in
// order with its exact text (Foundation's dictionaries compare keys by canonical equivalence, so
// "é" and "e\u0301" would collapse), integers stay exact up to UInt64.max (numbers keep their
// literal text), nesting depth is bounded (no stack overflow on `[[[[…`), and an error says at
// which byte it failed. `package` access: the library's targets share it; users do not see it.

/// One `"key": value` pair of a JSON object (objects keep order and duplicates).
package struct JSONMember: Equatable {
    package var key: String
    package var value: JSONValue
}

/// A parsed JSON value.
package indirect enum JSONValue: Equatable {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    /// The number's literal text (exactness is decided by the consumer).
    case number(String)
    case bool(Bool)
    case null

    /// The value as a non-negative integer, if it is an integer literal that fits `UInt64`.
    package var unsignedInteger: UInt64? {
        guard case let .number(text) = self else { return nil }
        return UInt64(text)
    }

    /// The value as an `Int`, if it is an integer literal that fits.
    package var integer: Int? {
        guard case let .number(text) = self else { return nil }
        return Int(text)
    }

    /// True for `null`.
    package var isNull: Bool { if case .null = self { return true }; return false }

    /// The first member named `key` of an object (nil for other values or a missing key).
    /// Keys compare by their exact UTF-8 bytes, not by canonical equivalence.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    /// A short name of the JSON type, for error messages.
    package var typeName: String {
        switch self {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }
}

/// Why JSON text could not be parsed: message and byte offset.
package struct JSONParseError: Error {
    package var message: String
    package var offset: Int
    package var description: String { "\(message) at byte \(offset)" }
}

