/// Truncation settings, as Hugging Face `TruncationParams`.
///
/// `maxLength` counts the special tokens too: the budget left for the text is `maxLength − 2` for
/// one sequence and `maxLength − 3` for a pair under the BERT template.
///
/// - `longestFirst`: for a pair, keeps the shorter sequence whole when it fits in half the budget
///   and cuts the longer; otherwise both get half (when the budget is odd, the extra token goes to
///   the second sequence, unless the first is the longer one).
/// - `onlyFirst` / `onlySecond`: cut only that sequence; an error if it is too short.
/// - `stride`: consecutive windows overlap by this many tokens; every window is returned in
///   ``Encoding/overflowing``.
/// - `direction`: `.right` keeps the beginning, `.left` keeps the end.
///
/// ```swift
/// tokenizer.truncation = Truncation(maxLength: 128, strategy: .onlySecond, stride: 32)
/// ```
public struct Truncation: Sendable, Hashable, Codable {
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable {
        case longestFirst = "longest_first"
        case onlyFirst = "only_first"
        case onlySecond = "only_second"
    }
    public enum Direction: String, Sendable, Hashable, Codable { case left, right }

    public var maxLength: Int
    public var strategy: Strategy
    public var stride: Int
    public var direction: Direction

    public init(maxLength: Int, strategy: Strategy = .longestFirst, stride: Int = 0, direction: Direction = .right) {
        self.maxLength = maxLength
        self.strategy = strategy
        self.stride = stride
        self.direction = direction
    }

    /// The most tokens the encodings of one pair may hold together (main and overflowing), about
    /// 1.6 GB of `Encoding`s: HF pairs every window of the first sequence with every window of
    /// the second, so two long texts under a small `max_length` and a large `stride` would ask for
    /// a product of windows no machine holds.
    public static let maxPairOutputTokens = 1 << 24

    /// The token windows of each sequence (`lengths` has one or two entries), first the kept
    /// window, then the overflowing ones, exactly as HF's `truncate_encodings`.
    /// `specialTokens` is how many tokens the post-processor will add.
    /// - Throws: `TokenizationError.invalidParameter` naming `truncation` when a pair's windows
    ///   would hold more than ``maxPairOutputTokens`` tokens; the truncation errors of HF.
    func windows(lengths: [Int], specialTokens: Int) throws -> [[Range<Int>]] {
        let result = try sequenceWindows(lengths: lengths, specialTokens: specialTokens)
        if result.count == 2, result[0].count > 1, result[1].count > 1 {
            let (pairs, o1) = result[0].count.multipliedReportingOverflow(by: result[1].count)
            let (tokens, o2) = pairs.multipliedReportingOverflow(by: Swift.max(maxLength, 1))
            if o1 || o2 || tokens > Self.maxPairOutputTokens {
                throw TokenizationError.invalidParameter(name: "truncation", detail: "a pair of \(lengths[0]) and \(lengths[1]) tokens "
                    + "makes \(result[0].count) × \(result[1].count) overflowing windows of up to \(maxLength) tokens, more than "
                    + "\(Self.maxPairOutputTokens) tokens in all; raise max_length, lower stride, or truncate only one sequence")
            }
        }
        return result
    }

    private func sequenceWindows(lengths: [Int], specialTokens: Int) throws -> [[Range<Int>]] {
        if maxLength < 0 || stride < 0 {
            throw TokenizationError.invalidParameter(name: "truncation", detail: "max_length and stride must be ≥ 0")
        }
        var budget = maxLength
        if specialTokens > 0 {
            if maxLength < specialTokens {
                throw TokenizationError.maxLengthTooSmall(maxLength: maxLength, specialTokens: specialTokens)
            }
            budget -= specialTokens
        }
        var result = lengths.map { [0..<$0] }
        if budget == 0 {
            for k in lengths.indices { result[k] = try Truncation.cut(length: lengths[k], to: 0, stride: stride, direction: direction) }
            return result
        }
        let total = lengths.reduce(0, +)
        if total <= budget { return result }
        let toRemove = total - budget
        switch strategy {
        case .longestFirst:
            if lengths.count == 2 {
                var n1 = lengths[0], n2 = lengths[1]
                let swap = n1 > n2
                if swap { (n1, n2) = (n2, n1) }
                n2 = n1 > budget ? n1 : max(n1, budget - n1)
                if n1 + n2 > budget {
                    n1 = budget / 2
                    n2 = n1 + budget % 2
                }
                if swap { (n1, n2) = (n2, n1) }
                result[0] = try Truncation.cut(length: lengths[0], to: n1, stride: stride, direction: direction)
                result[1] = try Truncation.cut(length: lengths[1], to: n2, stride: stride, direction: direction)
            } else {
                result[0] = try Truncation.cut(length: lengths[0], to: total - toRemove, stride: stride, direction: direction)
            }
        case .onlyFirst, .onlySecond:
            let target = strategy == .onlyFirst ? 0 : 1
            guard target < lengths.count else { throw TokenizationError.secondSequenceNotProvided }
            let length = lengths[target]
            guard length > toRemove else {
                throw TokenizationError.sequenceTooShort(strategy: strategy.rawValue, sequenceLength: length, tokensToRemove: toRemove)
            }
            result[target] = try Truncation.cut(length: length, to: length - toRemove, stride: stride, direction: direction)
        }
        return result
    }

    /// HF `Encoding::truncate`: the kept window first, then the overflowing windows.
    static func cut(length: Int, to maxLength: Int, stride: Int, direction: Direction) throws -> [Range<Int>] {
        if maxLength >= length { return [0..<length] }
        if maxLength == 0 { return [0..<0, 0..<length] }
        guard stride < maxLength else { throw TokenizationError.strideTooLarge(stride: stride, truncatedLength: maxLength) }
        let step = maxLength - stride
        var windows: [Range<Int>] = []
        switch direction {
        case .right:
            var start = 0
            while start < length {
                let stop = min(start + maxLength, length)
                windows.append(start..<stop)
                if stop == length { break }
                start += step
            }
        case .left:
            var last = length - 1
            while last >= 0 {
                let stop = last + 1
                let start = max(stop - maxLength, 0)
                if start < stop { windows.append(start..<stop) }
                if start == 0 { break }
                last -= step
            }
        }
        return windows
    }
}
