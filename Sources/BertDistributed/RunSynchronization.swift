import Foundation
import TensorCore

/// The start of a data-parallel run: the processes must agree on what they run, then start
/// from rank 0's weights.
extension MPIGradientReducer {
    /// Checks that every process has the same `fingerprint` (and the same parameter shapes),
    /// then broadcasts rank 0's parameter values. On a mismatch each differing rank prints the
    /// first line where it differs from rank 0 and every process throws
    /// ``DistributedError/mismatch(rank:differing:detail:)``.
    ///
    /// ```swift
    /// try reducer.synchronize(model.parameters(), fingerprint: "lr=1e-4\nexamples=1000")
    /// ```
    public func synchronize(_ parameters: [Parameter], fingerprint: String) throws {
        let text = fingerprint + "\nparameters=" + parameters.map { "\($0.shape)" }.joined(separator: ",")
        let hashes = try runtime.allGather(Self.fnv1a(text))
        let differing = hashes.indices.filter { hashes[$0] != hashes[0] }
        if !differing.isEmpty {
            let reference = try broadcastText(text)
            var detail = "fingerprints differ"
            if differing.contains(rank) {
                let mine = text.split(separator: "\n", omittingEmptySubsequences: false)
                let theirs = reference.split(separator: "\n", omittingEmptySubsequences: false)
                let k = (0..<min(mine.count, theirs.count)).first { mine[$0] != theirs[$0] } ?? min(mine.count, theirs.count)
                let a = k < theirs.count ? String(theirs[k]) : "(nothing)", b = k < mine.count ? String(mine[k]) : "(nothing)"
                detail = "rank 0 has \(a.prefix(300)), rank \(rank) has \(b.prefix(300))"
                FileHandle.standardError.write(Data("rank \(rank): \(detail)\n".utf8))
            }
            try runtime.barrier()  // every differing rank has printed before anyone stops the job
            throw DistributedError.mismatch(rank: rank, differing: differing, detail: detail)
        }
        for p in parameters {
            guard p.value.isContiguous else {
                throw DistributedError.invalidSetting("parameter \(p.name) is not contiguous; cannot broadcast it")
            }
            try runtime.broadcast(p.value.baseAddress, count: p.value.count)
        }
    }

    /// Rank 0's `text` on every process.
    func broadcastText(_ text: String) throws -> String {
        var bytes = Array(text.utf8)
        let length = Int(try runtime.broadcast([UInt64(bytes.count)])[0])
        var words = [UInt64](repeating: 0, count: (max(length, bytes.count) + 7) / 8)
        bytes += [UInt8](repeating: 0, count: words.count * 8 - bytes.count)
        for i in words.indices {
            for j in 0..<8 { words[i] |= UInt64(bytes[i * 8 + j]) << (8 * UInt64(j)) }
        }
        let received = try runtime.broadcast(Array(words.prefix((length + 7) / 8)))
        let out = received.flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> (8 * UInt64($0))) } }
        return String(decoding: out.prefix(length), as: UTF8.self)
    }

    /// 64-bit FNV-1a of the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
