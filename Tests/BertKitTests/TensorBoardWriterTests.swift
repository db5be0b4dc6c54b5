import Foundation
import Testing
import BertKit

/// TensorBoard event files: CRC-32C as specified, TFRecord frames whose checksums verify, and
/// events that decode back to the scalars written (the full check with TensorBoard's own reader
/// is Scripts/check_tensorboard_events.py on a real run's output directory).
@Suite struct TensorBoardWriterTests {
    /// Decoded scalar events of an event file: (tag, step, value); the header's file version.
    static func read(_ url: URL) throws -> (version: String, scalars: [(String, Int, Float)], restarts: [Int]) {
        let bytes = [UInt8](try Data(contentsOf: url))
        var offset = 0, version = "", scalars: [(String, Int, Float)] = [], restarts: [Int] = []
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        while offset < bytes.count {
            let length = Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) })
            #expect(u32(offset + 8) == TensorBoardWriter.maskedCRC(Array(bytes[offset..<(offset + 8)])))
            let data = Array(bytes[(offset + 12)..<(offset + 12 + length)])
            #expect(u32(offset + 12 + length) == TensorBoardWriter.maskedCRC(data))
            offset += 16 + length
            let event = fields(data)
            if let v = event[3] { version = String(decoding: v.bytes, as: UTF8.self) }
            if event[6] != nil { restarts.append(Int(event[2]!.number)) }
            if let summary = event[5] {
                let value = fields(fields(summary.bytes)[1]!.bytes)
                scalars.append((String(decoding: value[1]!.bytes, as: UTF8.self), Int(event[2]?.number ?? 0),
                                Float(bitPattern: UInt32(value[2]!.number))))
            }
        }
        return (version, scalars, restarts)
    }

    /// Last value of each field of a protobuf message (varint/fixed as `number`, length-delimited as `bytes`).
    static func fields(_ data: [UInt8]) -> [Int: (number: UInt64, bytes: [UInt8])] {
        var out: [Int: (number: UInt64, bytes: [UInt8])] = [:], k = 0
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true { let b = data[k]; k += 1; v |= UInt64(b & 0x7F) << shift; shift += 7; if b < 0x80 { return v } }
        }
        while k < data.count {
            let key = varint()
            switch key & 7 {
            case 0: out[Int(key >> 3)] = (varint(), [])
            case 1: out[Int(key >> 3)] = ((0..<8).reduce(0) { $0 | UInt64(data[k + $1]) << (8 * $1) }, []); k += 8
            case 5: out[Int(key >> 3)] = ((0..<4).reduce(0) { $0 | UInt64(data[k + $1]) << (8 * $1) }, []); k += 4
            default:
                let n = Int(varint())
                out[Int(key >> 3)] = (0, Array(data[k..<(k + n)])); k += n
            }
        }
        return out
    }

    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test func scalarsDecodeBackFromTheEventFile() throws {
        let directory = try PretrainingTestData.temporaryDirectory("tensorboard")
        defer { try? FileManager.default.removeItem(at: directory) }
        let board = try TensorBoardWriter(directory: directory, purgeStep: 11)
        try board.add(scalars: [("train/loss", 7.25), ("train/lr", 1e-4), ("train/skip", .nan)], step: 11)
        try board.add(scalars: [("eval/perplexity", 123.5)], step: 20)
        let file = try Self.read(board.url)
        #expect(file.version == "brain.Event:2")
        #expect(file.restarts == [11])
        #expect(file.scalars.map(\.0) == ["train/loss", "train/lr", "eval/perplexity"])
        #expect(file.scalars.map(\.1) == [11, 11, 20])
        #expect(file.scalars.map(\.2) == [7.25, Float(1e-4), 123.5])
    }

    @Test func reportDrawsLossesAndPerplexity() {
        let records: [[String: Any]] = (1...5).map { ["kind": "train", "step": $0, "loss": 10.0 - Double($0), "mlm_loss": 9.0, "nsp_loss": 0.7] }
            + [["kind": "eval", "step": 5, "eval_perplexity": 300.0]]
        let svg = TrainingReport.svg(records: records)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains("held-out perplexity (last 300)"))
    }
}
