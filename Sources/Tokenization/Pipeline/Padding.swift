/// Padding settings, as Hugging Face `PaddingParams`.
///
/// `.longest` pads every encoding of a batch to the longest one; `.fixed(n)` pads to `n` (longer
/// encodings are left alone). `padToMultipleOf` then rounds the target up. Padding tokens get
/// `padId`, `padTypeId`, attention 0, special-tokens mask 1, offset `0..<0` and no word id.
/// Overflowing windows are padded to the same length.
///
/// ```swift
/// tokenizer.padding = Padding(strategy: .longest, padToMultipleOf: 8)
/// ```
public struct Padding: Sendable, Hashable, Codable {
    public enum Strategy: Sendable, Hashable, Codable {
        case longest
        case fixed(Int)
    }
    public enum Direction: String, Sendable, Hashable, Codable { case left, right }

    public var strategy: Strategy
    public var direction: Direction
    public var padToMultipleOf: Int?
    public var padId: Int
    public var padTypeId: Int
    public var padToken: String

    public init(strategy: Strategy = .longest, direction: Direction = .right, padToMultipleOf: Int? = nil,
                padId: Int = 0, padTypeId: Int = 0, padToken: String = "[PAD]") {
        self.strategy = strategy
        self.direction = direction
        self.padToMultipleOf = padToMultipleOf
        self.padId = padId
        self.padTypeId = padTypeId
        self.padToken = padToken
    }

    /// The longest padded length this library produces: 2^20 (1,048,576) tokens. A larger
    /// `.fixed` length or `padToMultipleOf` target is refused with a typed error instead of
    /// asking for terabytes (tokenizer.json files are checked against it when they are read).
    public static let maximumLength = 1 << 20

    /// Pads a batch in place (HF `pad_encodings`).
    /// - Throws: ``TokenizationError/invalidParameter(name:detail:)`` when the padded length
    ///   would exceed ``maximumLength``.
    func apply(to encodings: inout [Encoding]) throws {
        guard !encodings.isEmpty else { return }
        var target: Int
        switch strategy {
        case .fixed(let n): target = n
        case .longest: target = encodings.map(\.count).max() ?? 0
        }
        if let multiple = padToMultipleOf, multiple > 0, target % multiple > 0 {
            let (rounded, overflow) = target.addingReportingOverflow(multiple - target % multiple)
            target = overflow ? Int.max : rounded
        }
        guard target <= Padding.maximumLength else {
            throw TokenizationError.invalidParameter(
                name: "padding", detail: "the padded length \(target) is above the limit \(Padding.maximumLength) "
                    + "(strategy \(strategy), pad_to_multiple_of \(padToMultipleOf.map(String.init) ?? "none"))")
        }
        for k in encodings.indices { pad(&encodings[k], to: target) }
    }

    private func pad(_ e: inout Encoding, to target: Int) {
        for k in e.overflowing.indices { pad(&e.overflowing[k], to: target) }
        let n = target - e.count
        guard n > 0 else { return }
        switch direction {
        case .right:
            e.ids += repeatElement(padId, count: n)
            e.typeIds += repeatElement(padTypeId, count: n)
            e.attentionMask += repeatElement(0, count: n)
            e.specialTokensMask += repeatElement(1, count: n)
            e.offsets += repeatElement(0..<0, count: n)
            e.wordIds += repeatElement(nil, count: n)
            e.sequenceIds += repeatElement(nil, count: n)
        case .left:
            e.ids = Array(repeatElement(padId, count: n)) + e.ids
            e.typeIds = Array(repeatElement(padTypeId, count: n)) + e.typeIds
            e.attentionMask = Array(repeatElement(0, count: n)) + e.attentionMask
            e.specialTokensMask = Array(repeatElement(1, count: n)) + e.specialTokensMask
            e.offsets = Array(repeatElement(0..<0, count: n)) + e.offsets
            e.wordIds = Array(repeatElement(nil, count: n)) + e.wordIds
            e.sequenceIds = Array(repeatElement(nil, count: n)) + e.sequenceIds
        }
    }
}
