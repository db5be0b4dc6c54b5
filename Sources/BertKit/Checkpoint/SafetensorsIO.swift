import Foundation
import TensorCore

/// Reads every tensor of a `.safetensors` file as Float32 (through TensorCore's
/// `SafetensorsFile`; integer tensors such as `position_ids` are converted). Errors are
/// `BertError`s naming the file.
/// ```swift
/// let tensors = try readSafetensors(url)   // ["bert.embeddings.word_embeddings.weight": [V, H], …]
/// ```
public func readSafetensors(_ url: URL) throws -> [String: Tensor] {
    guard FileManager.default.fileExists(atPath: url.path) else { throw BertError.missingFile(path: url.path) }
    let file: SafetensorsFile
    do { file = try SafetensorsFile(path: url.path) } catch {
        throw BertError.malformedFile(path: url.path, reason: error.description)
    }
    var out: [String: Tensor] = [:]
    for name in file.names {
        out[name] = try readTensor(file, name, url)
    }
    return out
}

private func readTensor(_ file: SafetensorsFile, _ name: String, _ url: URL) throws -> Tensor {
    do {
        let info = try file.info(name)
        return info.dtype.isReadableAsFloat ? try file.tensor(name) : try file.intTensor(name).toFloat()
    } catch {
        throw BertError.malformedFile(path: url.path, reason: error.description)
    }
}

/// Writes Float32 tensors as `.safetensors` with TensorCore's writer (atomic: temporary file,
/// then rename, so a failure never leaves a half-written file).
public func writeSafetensors(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
    var writer = SafetensorsWriter(metadata: metadata)
    for (name, t) in tensors { writer.add(name, t) }
    do { try writer.write(to: url.path) } catch {
        throw BertError.cannotWrite(path: url.path, reason: "\(error)")
    }
}
