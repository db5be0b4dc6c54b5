import Foundation

/// A JSON value for ``MetricsLog`` records (numbers written in Swift's shortest round-trip form,
/// so a value read back is bit-identical; NaN and infinities as `null`).
public enum MetricValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    /// The value as JSON text.
    public var json: String {
        switch self {
        case let .int(v): return String(v)
        case let .double(v): return v.isFinite ? "\(v)" : "null"
        case let .bool(v): return v ? "true" : "false"
        case let .string(s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
    }
}

/// `metrics.jsonl`: one JSON object per line, keys in the order given, each line written with
/// one `write` call as soon as it is logged. On resume the file is cut back to its length at
/// the checkpoint, so the resumed run's lines follow exactly where the checkpoint left off.
///
/// ```swift
/// let log = try MetricsLog(url: output.appendingPathComponent("metrics.jsonl"), truncateTo: 0)
/// try log.append([("step", .int(1)), ("loss", .double(10.4))])
/// ```
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle

    /// Opens (creating) `url` for appending; `truncateTo` cuts it to that many bytes first
    /// (nil keeps it as it is).
    public init(url: URL, truncateTo length: UInt64?) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw TrainingError.invalidSetting("cannot create \(url.path)")
            }
        }
        handle = try FileHandle(forWritingTo: url)
        if let length { try handle.truncate(atOffset: length) }
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// The file's current length in bytes.
    public var length: UInt64 { (try? handle.offset()) ?? 0 }

    /// Appends one record.
    public func append(_ fields: [(String, MetricValue)]) throws {
        let line = "{" + fields.map { "\(MetricValue.string($0.0).json): \($0.1.json)" }.joined(separator: ", ") + "}\n"
        try handle.write(contentsOf: Data(line.utf8))
    }

    /// Records of a metrics.jsonl file, parsed (for reports and tests).
    public static func read(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

/// Resident memory of this process.
public enum ProcessMemory {
    /// Resident set size in MiB (from /proc/self/statm; 0 where unavailable).
    public static var residentMegabytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
