/// The tokens of one sequence before post-processing: ids, offsets in code points of the original
/// text, and word indices.
struct RawSequence: Sendable {
    var ids: [Int] = []
    var starts: [Int] = []
    var ends: [Int] = []
    var words: [Int] = []

    var count: Int { ids.count }
}

/// Tokens of one sequence in raw, growable, reusable buffers (the hot path's `RawSequence`).
struct TokenBuffer {
    var ids: UnsafeMutablePointer<Int>
    var starts: UnsafeMutablePointer<Int>
    var ends: UnsafeMutablePointer<Int>
    var words: UnsafeMutablePointer<Int>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        ids = .allocate(capacity: capacity); starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity); words = .allocate(capacity: capacity)
    }

    func deallocate() { ids.deallocate(); starts.deallocate(); ends.deallocate(); words.deallocate() }

    @inline(__always)
    mutating func append(_ id: Int, _ start: Int, _ end: Int, _ word: Int) {
        if count == capacity { grow() }
        ids[count] = id; starts[count] = start; ends[count] = end; words[count] = word
        count += 1
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        func moved(_ p: UnsafeMutablePointer<Int>) -> UnsafeMutablePointer<Int> {
            let q = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            q.update(from: p, count: count)
            p.deallocate()
            return q
        }
        ids = moved(ids); starts = moved(starts); ends = moved(ends); words = moved(words)
        capacity = newCapacity
    }

    var rawSequence: RawSequence {
        RawSequence(ids: Array(UnsafeBufferPointer(start: ids, count: count)),
                    starts: Array(UnsafeBufferPointer(start: starts, count: count)),
                    ends: Array(UnsafeBufferPointer(start: ends, count: count)),
                    words: Array(UnsafeBufferPointer(start: words, count: count)))
    }
}

/// Reusable buffers for one thread of encoding (owned by one encoder call at a time).
final class EncoderScratch {
    fileprivate var buffers: WordBuffers
    /// Token buffers of the first and second sequence.
    var first: TokenBuffer
    var second: TokenBuffer

    init() {
        buffers = WordBuffers(capacity: 256)
        first = TokenBuffer(capacity: 1024)
        second = TokenBuffer(capacity: 1024)
    }

    deinit { buffers.deallocate(); first.deallocate(); second.deallocate() }
}

/// Raw buffers for the word being built: its normalized UTF-8 bytes, per byte the original code
/// point, and room for its WordPiece pieces.
fileprivate struct WordBuffers {
    var bytes: UnsafeMutablePointer<UInt8>
    var align: UnsafeMutablePointer<Int>
    var pieceIds: UnsafeMutablePointer<Int>
    var pieceEnds: UnsafeMutablePointer<Int>
    var capacity: Int
    let mapped: UnsafeMutablePointer<UInt32>

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
        align = .allocate(capacity: capacity)
        pieceIds = .allocate(capacity: capacity)
        pieceEnds = .allocate(capacity: capacity)
        mapped = .allocate(capacity: NormalizerPlan.maxExpansion)
    }

    func deallocate() {
        bytes.deallocate(); align.deallocate(); pieceIds.deallocate(); pieceEnds.deallocate(); mapped.deallocate()
    }

    /// Replaces the (empty) buffers with larger ones.
    mutating func grow(to newCapacity: Int) {
        bytes.deallocate(); align.deallocate(); pieceIds.deallocate(); pieceEnds.deallocate()
        bytes = .allocate(capacity: newCapacity)
        align = .allocate(capacity: newCapacity)
        pieceIds = .allocate(capacity: newCapacity)
        pieceEnds = .allocate(capacity: newCapacity)
        capacity = newCapacity
    }
}

/// The fused pipeline for one sequence: UTF-8 decoding (with U+FFFD replacement), added-token
/// matching on the raw text, the BERT normalizer, the BERT pre-tokenizer and WordPiece, in one
/// pass over the bytes. It produces exactly what HF's separate stages produce, because every
/// stage of the BERT pipeline works character by character: each normalized character remembers
/// the original code point it came from, and a word's token offsets span from the first to the
/// last original character of its bytes.
final class SequenceEncoder: @unchecked Sendable {
    enum ByteAction: UInt8 { case append, boundary, punctuation, skip, nonASCII, addedToken }

    let plan: NormalizerPlan
    let model: WordPiece
    let matcher: AddedTokenMatcher
    /// What to do with each byte value; `.addedToken` means "try the added tokens, then `fallback`".
    private let action: UnsafeMutablePointer<ByteAction>
    private let fallback: UnsafeMutablePointer<ByteAction>
    /// Word buffers hold this many bytes: enough for any word WordPiece can split; the bytes of a
    /// longer word are not needed (it becomes one unknown token).
    let wordCapacity: Int

    init(plan: NormalizerPlan, model: WordPiece, matcher: AddedTokenMatcher) {
        self.plan = plan
        self.model = model
        self.matcher = matcher
        wordCapacity = max(256, (model.maxInputCharsPerWord + 1) * 4)
        action = .allocate(capacity: 256)
        fallback = .allocate(capacity: 256)
        for b in 0..<256 {
            let own: ByteAction
            if b < 0x80 {
                switch plan.asciiAction[b] {
                case .append: own = .append
                case .boundary: own = .boundary
                case .punctuation: own = .punctuation
                case .skip: own = .skip
                }
            } else {
                own = .nonASCII
            }
            fallback[b] = own
            action[b] = matcher.firstByte[b] ? .addedToken : own
        }
    }

    deinit { action.deallocate(); fallback.deallocate() }

    /// Encodes into arrays.
    func encode(_ text: UnsafeBufferPointer<UInt8>, scratch: EncoderScratch) -> RawSequence {
        var out = scratch.first
        encode(text, scratch: scratch, into: &out)
        scratch.first = out
        return out.rawSequence
    }

    /// Encodes into `out` (emptied first).
    func encode(_ text: UnsafeBufferPointer<UInt8>, scratch: EncoderScratch, into out: inout TokenBuffer) {
        out.count = 0
        guard let p = text.baseAddress, !text.isEmpty else { return }
        let n = text.count
        if scratch.buffers.capacity < wordCapacity { scratch.buffers.grow(to: wordCapacity) }
        var w = WordState(buffers: scratch.buffers)
        let action = self.action
        let asciiOut = plan.asciiOutput
        let tables = plan.tables
        let mapped = w.buffers.mapped
        var i = 0
        var cp = 0
        var skipTo = 0
        var floorByte = 0
        while i < n {
            var b = p[i]
            var a = action[Int(b)]
            if a == .addedToken {
                if i >= skipTo, let m = matcher.match(p, i, n, scalarIndex: cp, floorByte: floorByte, skipTo: &skipTo) {
                    flush(&w, &out)
                    out.append(m.id, m.startScalar, m.endScalar, w.wordIndex)
                    w.wordIndex += 1
                    i = m.endByte; cp = m.endScalar
                    floorByte = i
                    continue
                }
                a = fallback[Int(b)]
            }
            switch a {
            case .append:
                // A run of plain ASCII word characters: the common case, kept tight.
                let bytes = w.buffers.bytes, align = w.buffers.align, capacity = w.buffers.capacity
                var length = w.length
                if length == 0 { w.firstScalar = cp }
                let runStart = i
                while true {
                    if length < capacity {
                        bytes[length] = asciiOut[Int(b)]
                        align[length] = cp
                        length += 1
                    }
                    i += 1; cp += 1
                    if i == n { break }
                    b = p[i]
                    if action[Int(b)] != .append { break }
                }
                w.length = length
                w.scalars += i - runStart
                w.lastScalar = cp - 1
            case .boundary:
                flush(&w, &out)
                i += 1; cp += 1
            case .punctuation:
                flush(&w, &out)
                w.append(asciiOut[Int(b)], cp)
                w.scalars += 1
                flush(&w, &out)
                i += 1; cp += 1
            case .skip:
                i += 1; cp += 1
            case .nonASCII, .addedToken:
                let (scalar, length) = UTF8Decoding.decode(p, i, n)
                let (kind, count) = plan.normalize(scalar, into: mapped)
                switch kind {
                case .removed:
                    break
                case .normal:
                    for k in 0..<count { emit(mapped[k], cp, tables, &w, &out) }
                case .chinese:
                    flush(&w, &out)
                    for k in 0..<count { emit(mapped[k], cp, tables, &w, &out) }
                    flush(&w, &out)
                }
                i += length; cp += 1
            }
        }
        flush(&w, &out)
    }

    /// Adds one normalized code point: whitespace ends the word, punctuation is a word by itself.
    @inline(__always)
    private func emit(_ y: UInt32, _ cp: Int, _ tables: UnicodeTables, _ w: inout WordState, _ out: inout TokenBuffer) {
        let f = tables.flags(y)
        if f & UnicodeTables.whitespace != 0 { flush(&w, &out); return }
        let isPunctuation = f & UnicodeTables.punctuation != 0
        if isPunctuation { flush(&w, &out) }
        if y < 0x80 {
            w.append(UInt8(y), cp)
        } else if y < 0x800 {
            w.append(UInt8(0xC0 | y >> 6), cp)
            w.append(UInt8(0x80 | y & 0x3F), cp)
        } else if y < 0x10000 {
            w.append(UInt8(0xE0 | y >> 12), cp)
            w.append(UInt8(0x80 | (y >> 6) & 0x3F), cp)
            w.append(UInt8(0x80 | y & 0x3F), cp)
        } else {
            w.append(UInt8(0xF0 | y >> 18), cp)
            w.append(UInt8(0x80 | (y >> 12) & 0x3F), cp)
            w.append(UInt8(0x80 | (y >> 6) & 0x3F), cp)
            w.append(UInt8(0x80 | y & 0x3F), cp)
        }
        w.scalars += 1
        if isPunctuation { flush(&w, &out) }
    }

    /// Runs WordPiece on the current word, if any, and appends its tokens.
    @inline(__always)
    private func flush(_ w: inout WordState, _ out: inout TokenBuffer) {
        let length = w.length
        if length == 0 { return }
        let word = w.wordIndex
        if w.scalars > model.maxInputCharsPerWord {
            // Too long: one unknown token over the whole word (its bytes were not all kept).
            out.append(model.unknownId, w.firstScalar, w.lastScalar + 1, word)
        } else {
            let b = w.buffers
            let count = model.tokenize(b.bytes, count: length, scalarCount: w.scalars, ids: b.pieceIds, ends: b.pieceEnds)
            var start = 0
            for k in 0..<count {
                let end = b.pieceEnds[k]
                out.append(b.pieceIds[k], b.align[start], b.align[end - 1] + 1, word)
                start = end
            }
        }
        w.wordIndex += 1
        w.length = 0
        w.scalars = 0
    }

    /// The word being built.
    fileprivate struct WordState {
        let buffers: WordBuffers
        var length = 0
        var scalars = 0
        var wordIndex = 0
        var firstScalar = 0
        var lastScalar = 0

        init(buffers: WordBuffers) { self.buffers = buffers }

        @inline(__always)
        mutating func append(_ byte: UInt8, _ cp: Int) {
            if length == 0 { firstScalar = cp }
            lastScalar = cp
            // Bytes past the capacity belong to a word too long for WordPiece: not kept.
            if length < buffers.capacity {
                buffers.bytes[length] = byte
                buffers.align[length] = cp
                length += 1
            }
        }
    }
}
