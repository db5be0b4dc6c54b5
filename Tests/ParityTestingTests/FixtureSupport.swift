import Foundation
import BertKit
import TensorCore
@testable import ParityTesting

/// Tests/ParityTestingTests/Fixtures/<path> (written by Scripts/make_parity_fixtures.py).
func parityFixture(_ path: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        .appendingPathComponent(path)
}

/// A BertKit fixture model directory (Tests/BertKitTests/Fixtures/<name>, written by
/// Scripts/make_bert_fixtures.py): the models the reference dumps were made from.
func bertFixtureDirectory(_ name: String) throws -> BertModelDirectory {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BertKitTests/Fixtures").appendingPathComponent(name)
    return try BertModelDirectory(url)
}

/// A JSON object from the fixtures.
func parityJSON(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: parityFixture(path))) as! [String: Any]
}
