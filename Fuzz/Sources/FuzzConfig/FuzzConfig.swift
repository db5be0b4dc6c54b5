// libFuzzer target: arbitrary bytes as config.json, decoded and validated (sizes, limits,
// memory estimate, labels). Any error must be a typed BertError or DecodingError.
import BertKit
import Foundation
import FuzzSupport

let fuzzConfig: FuzzCallback = { data, size in
    guard let data else { return 0 }
    let bytes = Data(bytes: data, count: size)
    if let config = try? JSONDecoder().decode(BertConfig.self, from: bytes) {
        _ = config.parameterCount
        _ = config.numLabels
    }
    return 0
}
