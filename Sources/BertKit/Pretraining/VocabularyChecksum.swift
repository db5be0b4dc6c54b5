import Tokenization

/// A 64-bit fingerprint of a vocabulary — FNV-1a over each token's UTF-8 bytes followed by a
/// newline, in id order — recorded in every shard footer by `bert pretraining-data`, so
/// training and evaluation can refuse data prepared with another vocabulary (token ids in a
/// shard mean nothing without the vocab.txt that made them). Never 0: 0 in a shard footer means
/// "not recorded".
///
/// ```swift
/// let checksum = VocabularyChecksum.of(try Vocabulary(contentsOf: url))
/// try VocabularyChecksum.require(checksum, matches: dataset, vocabularyPath: "vocab.txt")
/// ```
public enum VocabularyChecksum {
    public static func of(_ vocabulary: Vocabulary) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for id in 0..<vocabulary.count {
            for byte in (vocabulary.token(for: id) ?? "").utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            hash = (hash ^ 0x0A) &* 0x0000_0100_0000_01B3
        }
        return hash == 0 ? 1 : hash
    }

    /// The checksum as 16 hex digits (for messages and metadata).
    public static func hex(_ checksum: UInt64) -> String {
        let digits = String(checksum, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// - Throws: ``TrainingError/vocabularyMismatch(_:)`` when a shard of `dataset`
    ///   records a checksum other than `checksum` (shards that record none are accepted).
    public static func require(_ checksum: UInt64, matches dataset: PretrainingDataset, vocabularyPath: String) throws {
        for shard in dataset.shards where shard.vocabularyChecksum != 0 && shard.vocabularyChecksum != checksum {
            throw TrainingError.vocabularyMismatch(
                "\(shard.path) was prepared with a vocabulary of checksum \(hex(shard.vocabularyChecksum)), but \(vocabularyPath) "
                    + "has checksum \(hex(checksum)); token ids would mean other words")
        }
    }
}
