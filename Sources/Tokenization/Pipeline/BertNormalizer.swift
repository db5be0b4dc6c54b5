import Foundation

/// The BERT normalizer of Hugging Face `tokenizers` (`normalizers/bert.rs`), step by step:
///
/// 1. `cleanText`: drop NUL, U+FFFD and control/format/private-use characters; map tab, newline,
///    carriage return and every other whitespace character to a space.
/// 2. `handleChineseChars`: put spaces around CJK ideographs (kana and Hangul are not included).
/// 3. `stripAccents` (defaults to `lowercase` when `nil`, as in HF): NFD, then drop nonspacing marks.
/// 4. `lowercase`: per character (one character may become several, e.g. "İ" → "i̇").
///
/// Strip-accents runs before lowercase, as in the Rust (fast) tokenizer; the Python (slow)
/// tokenizer lowercases first and handles a final sigma differently.
///
/// ```swift
/// let normalizer = BertNormalizer(lowercase: true)
/// let n = normalizer.normalize("Héllo\tWÖRLD")
/// // n.text == "hello world"; n.alignments[1] == 1..<2 (the "é" in the original)
/// ```
public struct BertNormalizer: Sendable, Hashable, Codable {
    public var cleanText: Bool
    public var handleChineseChars: Bool
    /// `nil` follows `lowercase`.
    public var stripAccents: Bool?
    public var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil,
                lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Whether accents are stripped once the `nil` default is resolved.
    public var effectiveStripAccents: Bool { stripAccents ?? lowercase }

    /// Normalizes `text`, keeping for each output character the range (in Unicode scalars) of the
    /// original character it came from.
    public func normalize(_ text: String) -> NormalizedString {
        let plan = NormalizerPlan.plan(for: self)
        var scalars: [Unicode.Scalar] = []
        var alignments: [Range<Int>] = []
        var buffer: [UInt32] = []
        for (index, scalar) in text.unicodeScalars.enumerated() {
            buffer.removeAll(keepingCapacity: true)
            let action = plan.normalize(scalar.value, appendingTo: &buffer)
            if action == .chinese { scalars.append(" "); alignments.append(index..<index + 1) }
            for cp in buffer {
                scalars.append(Unicode.Scalar(cp) ?? " ")
                alignments.append(index..<index + 1)
            }
            if action == .chinese { scalars.append(" "); alignments.append(index..<index + 1) }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return NormalizedString(text: String(view), alignments: alignments)
    }
}

/// A normalized string and, per Unicode scalar of ``text``, the scalar range of the original
/// character it came from.
public struct NormalizedString: Sendable, Hashable {
    public var text: String
    /// One entry per Unicode scalar of `text`.
    public var alignments: [Range<Int>]
}

/// A normalizer configuration compiled into lookup tables for the hot path.
final class NormalizerPlan: @unchecked Sendable {
    enum Action: UInt8 { case append, boundary, punctuation, skip }
    enum ScalarAction { case normal, chinese, removed }

    let config: BertNormalizer
    let tables = UnicodeTables.shared
    /// What to do with each ASCII byte.
    let asciiAction: UnsafeMutablePointer<Action>
    /// The (possibly lowercased) ASCII byte to append.
    let asciiOutput: UnsafeMutablePointer<UInt8>
    /// Flags that mean "this code point maps to others" under this configuration.
    let mapMask: UInt8
    /// Strip-accents then lowercase, composed, for every code point with a flag in `mapMask`.
    let mapping: ScalarMapping

    private init(config: BertNormalizer) {
        self.config = config
        let strip = config.effectiveStripAccents
        mapMask = (strip ? UnicodeTables.stripMaps | UnicodeTables.stripDrops : 0)
            | (config.lowercase ? UnicodeTables.lowerMaps : 0)
        var pairs: [(UInt32, [UInt32])] = []
        if mapMask != 0 {
            var stripped: [UInt32] = []
            for cp in tables.ranges(withAny: mapMask).joined() {
                stripped.removeAll(keepingCapacity: true)
                if strip { tables.appendStripped(cp, to: &stripped) } else { stripped.append(cp) }
                var out: [UInt32] = []
                for s in stripped {
                    if config.lowercase { tables.appendLowered(s, to: &out) } else { out.append(s) }
                }
                precondition(out.count <= NormalizerPlan.maxExpansion, "normalizing U+\(String(cp, radix: 16)) expands too much")
                pairs.append((cp, out))
            }
        }
        mapping = ScalarMapping(pairs)
        asciiAction = .allocate(capacity: 128)
        asciiOutput = .allocate(capacity: 128)
        var buffer: [UInt32] = []
        for b in 0..<128 {
            asciiAction[b] = .skip
            asciiOutput[b] = UInt8(b)
        }
        // Fill the ASCII table through the general path so both always agree.
        let partial = NormalizerPlanASCII(tables: tables, config: config, mapMask: mapMask, mapping: mapping)
        for b in 0..<128 {
            buffer.removeAll(keepingCapacity: true)
            let (action, out) = partial.asciiBehaviour(UInt32(b), buffer: &buffer)
            asciiAction[b] = action
            asciiOutput[b] = out
        }
    }

    /// Normalizes one original code point into `out` (clean text, strip accents, lowercase);
    /// returns whether it was removed, is a CJK ideograph to isolate, or is normal. A
    /// whitespace character comes out as a space.
    @inline(__always)
    func normalize(_ cp: UInt32, appendingTo out: inout [UInt32]) -> ScalarAction {
        var buffer: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                     UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            let (action, count) = normalize(cp, into: p)
            for k in 0..<count { out.append(p[k]) }
            return action
        }
    }

    /// The hot-path form: writes at most ``maxExpansion`` code points to `out`, returns how many.
    @inline(__always)
    func normalize(_ cp: UInt32, into out: UnsafeMutablePointer<UInt32>) -> (ScalarAction, Int) {
        let f = tables.flags(cp)
        if config.cleanText {
            if f & UnicodeTables.removed != 0 { return (.removed, 0) }
            if f & UnicodeTables.cleanSpace != 0 { out[0] = 0x20; return (.normal, 1) }
        }
        let count: Int
        if f & mapMask != 0 { count = mapping.write(cp, to: out) } else { out[0] = cp; count = 1 }
        return (config.handleChineseChars && f & UnicodeTables.chinese != 0 ? .chinese : .normal, count)
    }

    /// The longest result of normalizing one code point (checked when the plan is built).
    static let maxExpansion = 16

    nonisolated(unsafe) private static var cache: [BertNormalizer: NormalizerPlan] = [:]
    private static let lock = NSLock()

    /// The compiled plan of a configuration (built once per configuration, then shared).
    static func plan(for config: BertNormalizer) -> NormalizerPlan {
        var key = config
        key.stripAccents = config.effectiveStripAccents
        lock.lock()
        defer { lock.unlock() }
        if let plan = cache[key] { return plan }
        let plan = NormalizerPlan(config: key)
        cache[key] = plan
        return plan
    }
}

/// Computes the ASCII fast-path table from the general tables.
private struct NormalizerPlanASCII {
    let tables: UnicodeTables
    let config: BertNormalizer
    let mapMask: UInt8
    let mapping: ScalarMapping

    func asciiBehaviour(_ cp: UInt32, buffer: inout [UInt32]) -> (NormalizerPlan.Action, UInt8) {
        let f = tables.flags(cp)
        if config.cleanText {
            if f & UnicodeTables.removed != 0 { return (.skip, UInt8(cp)) }
            if f & UnicodeTables.cleanSpace != 0 { return (.boundary, UInt8(cp)) }
        }
        if f & mapMask != 0 { mapping.append(cp, to: &buffer) } else { buffer.append(cp) }
        precondition(buffer.count == 1 && buffer[0] < 128, "ASCII maps to one ASCII character")
        let out = buffer[0]
        let g = tables.flags(out)
        if g & UnicodeTables.whitespace != 0 { return (.boundary, UInt8(out)) }
        if g & UnicodeTables.punctuation != 0 { return (.punctuation, UInt8(out)) }
        return (.append, UInt8(out))
    }
}
