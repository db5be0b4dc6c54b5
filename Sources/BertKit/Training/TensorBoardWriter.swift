import Foundation

/// Writes TensorBoard event files of scalars — what PyTorch's `SummaryWriter.add_scalar` writes —
/// so `tensorboard --logdir OUTPUT` shows a run. Each process start opens a new file
/// `events.out.tfevents.<seconds>.<host>.<pid>` whose first event carries the file version;
/// each scalar is one `Event{wall_time, step, summary{value{tag, simple_value}}}` in a TFRecord
/// frame (length, masked CRC-32C of the length, data, masked CRC-32C of the data), written with
/// one `write` call. A resumed run starts a new file with a `SessionLog.START` event at
/// `purgeStep` (as PyTorch's `SummaryWriter(purge_step:)`): TensorBoard drops the interrupted
/// run's points from that step on, which the resumed run writes again.
///
/// ```swift
/// let board = try TensorBoardWriter(directory: output)
/// try board.add(scalars: [("train/loss", 7.2), ("train/lr", 1e-4)], step: 10)
/// ```
public final class TensorBoardWriter {
    public let url: URL
    private let handle: FileHandle

    /// - Parameter purgeStep: the first step a resumed run writes (nil on a fresh start).
    public init(directory: URL, purgeStep: Int? = nil, wallTime: Double = Date().timeIntervalSince1970) throws {
        let host = ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName
        url = directory.appendingPathComponent("events.out.tfevents.\(Int(wallTime)).\(host).\(getpid())")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw TrainingError.invalidSetting("cannot create \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
        var event = Protobuf()
        event.double(1, wallTime)
        event.bytes(3, Array("brain.Event:2".utf8))
        try write(event.bytes)
        if let purgeStep {
            var sessionLog = Protobuf()
            sessionLog.varint(1, 1)  // status START
            var restart = Protobuf()
            restart.double(1, wallTime)
            restart.varint(2, UInt64(bitPattern: Int64(purgeStep)))
            restart.bytes(6, sessionLog.bytes)
            try write(restart.bytes)
        }
    }

    deinit { try? handle.close() }

    /// Appends one event per scalar at `step`.
    public func add(scalars: [(String, Double)], step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        var frames: [UInt8] = []
        for (tag, value) in scalars where value.isFinite {
            var scalar = Protobuf()
            scalar.bytes(1, Array(tag.utf8))
            scalar.float(2, Float(value))
            var summary = Protobuf()
            summary.bytes(1, scalar.bytes)
            var event = Protobuf()
            event.double(1, wallTime)
            event.varint(2, UInt64(bitPattern: Int64(step)))
            event.bytes(5, summary.bytes)
            frames += Self.frame(event.bytes)
        }
        if !frames.isEmpty { try handle.write(contentsOf: Data(frames)) }
    }

    private func write(_ record: [UInt8]) throws { try handle.write(contentsOf: Data(Self.frame(record))) }

    /// One TFRecord frame around `data`.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        for k in 0..<8 { length.append(UInt8(truncatingIfNeeded: UInt64(data.count) >> (8 * k))) }
        return length + littleEndian(maskedCRC(length)) + data + littleEndian(maskedCRC(data))
    }

    /// TFRecord's masked CRC-32C.
    public static func maskedCRC(_ bytes: [UInt8]) -> UInt32 {
        let crc = CRC32C.checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}

/// CRC-32C (Castagnoli), as TFRecord frames use.
public enum CRC32C {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// The few protobuf wire forms an `Event` needs.
struct Protobuf {
    var bytes: [UInt8] = []

    mutating func key(_ field: Int, _ wireType: UInt64) { append(varint: UInt64(field) << 3 | wireType) }
    mutating func append(varint value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    mutating func varint(_ field: Int, _ value: UInt64) { key(field, 0); append(varint: value) }
    mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value.bitPattern >> (8 * k))) }
    }
    mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value.bitPattern >> (8 * k))) }
    }
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        append(varint: UInt64(value.count))
        bytes += value
    }
}
