import Foundation
import Testing

/// Locates and decodes the fixtures written by `Scripts/make_optim_fixtures.py`.
enum OptimFixtures {
    /// `Tests/TensorCoreTests/Fixtures`, found next to this source file (works without a
    /// resource bundle).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String {
        directory.appendingPathComponent(relative).path
    }

    static func decode<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(relative))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// A fresh empty directory under the system temporary directory, removed by `remove()`.
struct OptimTemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tensorcore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

extension OptimFixtures {
    /// Compares two float sequences elementwise with a relative tolerance (plus a small absolute
    /// floor); on failure reports the largest difference and where it is.
    static func expectClose(_ actual: [Float], _ expected: [Float], relative: Float = 1e-6, absolute: Float = 1e-7,
                     _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        guard actual.count == expected.count else {
            Issue.record("\(what()): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
            return
        }
        var worst = -1
        var worstExcess: Float = 0
        for i in actual.indices {
            let difference = abs(actual[i] - expected[i])
            let allowed = absolute + relative * abs(expected[i])
            if !(difference <= allowed) && (difference - allowed > worstExcess || worst < 0) {
                worst = i
                worstExcess = difference - allowed
            }
        }
        if worst >= 0 {
            let message = "\(what()): max violation at [\(worst)]: got \(actual[worst]), expected \(expected[worst])"
                + " (|Δ| = \(abs(actual[worst] - expected[worst])))"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
