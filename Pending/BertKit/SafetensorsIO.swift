import Foundation
import TensorCore

// TODO(optim-io): delegate to TensorCore's safetensors reader/writer once it lands; this minimal
// implementation exists so BertKit can load checkpoints before then.

/// Reads every tensor of a `.safetensors` file as Float32 (F32 as is; F16, BF16, F64, I64, I32
/// converted). Errors name the file and what is wrong.
/// ```swift
/// let tensors = try readSafetensors(url)   // ["bert.embeddings.word_embeddings.weight": [V, H], …]
/// ```
public func readSafetensors(_ url: URL) throws -> [String: Tensor] {
    guard FileManager.default.fileExists(atPath: url.path) else { throw BertError.missingFile(path: url.path) }
    let data: Data
    do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
        throw BertError.malformedFile(path: url.path, reason: "cannot be read: \(error.localizedDescription)")
    }
    func bad(_ reason: String) -> BertError { .malformedFile(path: url.path, reason: "not a safetensors file: \(reason)") }
    guard data.count >= 8 else { throw bad("shorter than 8 bytes") }
    let headerLength = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
    guard headerLength > 0, headerLength <= data.count - 8 else { throw bad("header length \(headerLength) out of range") }
    let headerData = data.subdata(in: 8..<(8 + headerLength))
    guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
        throw bad("header is not a JSON object")
    }
    let base = 8 + headerLength
    var out: [String: Tensor] = [:]
    for (name, entry) in header where name != "__metadata__" {
        guard let e = entry as? [String: Any], let dtype = e["dtype"] as? String, let shape = e["shape"] as? [Int],
              let offsets = e["data_offsets"] as? [Int], offsets.count == 2 else { throw bad("bad entry for \(name)") }
        let count = shape.reduce(1, *)
        let width: Int
        switch dtype {
        case "F32", "I32": width = 4
        case "F16", "BF16": width = 2
        case "F64", "I64": width = 8
        default: throw bad("tensor \(name) has unsupported dtype \(dtype)")
        }
        let (start, end) = (base + offsets[0], base + offsets[1])
        guard offsets[0] >= 0, end <= data.count, end - start == count * width else {
            throw bad("tensor \(name) data range \(offsets) does not fit shape \(shape) \(dtype)")
        }
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let p = raw.baseAddress!.advanced(by: start)
            for i in 0..<count {
                switch dtype {
                case "F32": values[i] = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case "I32": values[i] = Float(Int32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                case "F64": values[i] = Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                case "I64": values[i] = Float(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                case "BF16":
                    let b = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    values[i] = Float(bitPattern: UInt32(b) << 16)
                default:  // F16
                    let b = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    values[i] = Float(Float16(bitPattern: b))
                }
            }
        }
        out[name] = Tensor(values, shape: shape)
    }
    return out
}

/// Writes Float32 tensors as `.safetensors` (keys sorted, header padded to 8 bytes), through a
/// temporary file renamed into place, so a failure never leaves a half-written file.
public func writeSafetensors(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
    var header: [String: Any] = ["__metadata__": metadata]
    var offset = 0
    let names = tensors.keys.sorted()
    for name in names {
        let t = tensors[name]!
        header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]]
        offset += 4 * t.count
    }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    while json.count % 8 != 0 { json.append(0x20) }
    var blob = Data(capacity: 8 + json.count + offset)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { blob.append(contentsOf: $0) }
    blob.append(json)
    for name in names {
        let values = tensors[name]!.contiguous().toArray()
        values.withUnsafeBufferPointer { buf in
            for v in buf { withUnsafeBytes(of: v.bitPattern.littleEndian) { blob.append(contentsOf: $0) } }
        }
    }
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
        try blob.write(to: tmp)
        if FileManager.default.fileExists(atPath: url.path) {
            _ = try FileManager.default.replaceItemAt(url, withItemAt: tmp)
        } else {
            try FileManager.default.moveItem(at: tmp, to: url)
        }
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw BertError.malformedFile(path: url.path, reason: "cannot be written: \(error.localizedDescription)")
    }
}
