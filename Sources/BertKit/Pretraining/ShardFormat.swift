/// The binary shard file of prepared instances (`.bkpt`), little-endian, read by memory
/// mapping with random access to any instance:
///
/// ```text
/// 0        magic "BKPTSHD1" (8 bytes)
/// 8        records, one per instance, each starting on a 4-byte boundary:
///            u16 length n, u16 firstSegmentLength, u16 maskedCount m, u8 isRandomNext, u8 0
///            n × u32 token ids, m × u32 masked positions, m × u32 masked label ids
/// index    (8-byte aligned) count × u64: the byte offset of each record
/// footer   last 48 bytes: u32 version (1), u32 maxSeqLength, u32 maxPredictions,
///            u32 flags (bit 0: statically masked), u64 count, u64 indexOffset,
///            u64 vocabulary checksum (``VocabularyChecksum``; 0: not recorded), magic "BKPTSHD1"
/// ```
///
/// A shard is written to a temporary file and renamed when complete, so a shard that exists is
/// whole. A directory of shards (`shard-00000.bkpt`, `shard-00001.bkpt`, …) is one data set in
/// file-name order (``PretrainingDataset``).
public enum ShardFormat {
    public static let magic: [UInt8] = Array("BKPTSHD1".utf8)
    public static let version: UInt32 = 1
    public static let footerSize = 48
    public static let recordHeaderSize = 8
    public static let fileExtension = "bkpt"

    /// Flag bit 0: the instances carry static masks (tokens replaced, positions and labels set).
    public static let staticallyMasked: UInt32 = 1

    /// The name of shard `k` in a data-set directory.
    public static func shardName(_ k: Int) -> String {
        let digits = String(k)
        return "shard-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "." + fileExtension
    }
}
