// libFuzzer target: arbitrary bytes as a .safetensors file (header length, JSON header,
// offsets, dtypes, shapes), opened and every tensor read. Any error must be a typed
// SafetensorsError; a crash, hang or sanitizer report is a bug.
import Foundation
import FuzzSupport
import TensorCore

let fuzzSafetensors: FuzzCallback = { data, size in
    guard let data, let path = scratchFile("safetensors", ext: "safetensors", data, size) else { return 0 }
    guard let file = try? SafetensorsFile(path: path) else { return 0 }
    for name in file.names {
        guard let info = try? file.info(name) else { continue }
        if info.dtype.isReadableAsFloat, info.elementCount <= 1 << 20 { _ = try? file.floats(name) }
    }
    return 0
}
