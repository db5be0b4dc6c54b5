import Foundation
import TensorCore

/// Every parameter of a module (or checkpoint) with its shape and count, and the share of the
/// total per module prefix — the table of Hugging Face's model-size breakdowns.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let table = ParameterTable(BertModel(config: .base, initialization: .zeros, generator: &rng))
/// table.total                                   // 109482240
/// table.groups(depth: 1).map(\.percent)         // embeddings 21.77, encoder 77.69, pooler 0.54
/// print(table)                                  // the groups, then one row per parameter
/// ```
/// Tied parameters count once (as `Module.namedParameters()` lists them).
public struct ParameterTable: CustomStringConvertible, Sendable {
    /// One named parameter.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var count: Int { shape.reduce(1, *) }
    }

    /// The parameters under one dotted prefix.
    public struct Group: Sendable, Equatable {
        /// The prefix (`encoder`, `encoder.layer.0`).
        public var prefix: String
        public var parameterCount: Int
        /// Number of parameter tensors under the prefix.
        public var tensorCount: Int
        /// Share of the total in percent.
        public var percent: Double
    }

    /// Rows in the order given (declaration order for a module).
    public var rows: [Row]
    /// Sum of all parameter counts.
    public var total: Int { rows.reduce(0) { $0 + $1.count } }

    /// The named parameters of `module`.
    public init(_ module: any Module) {
        rows = module.namedParameters().map { Row(name: $0.0, shape: $0.1.shape) }
    }

    /// Names and shapes, for example a checkpoint's (`SafetensorsFile.tensorInfos`).
    public init(shapes: [(String, [Int])]) {
        rows = shapes.map { Row(name: $0.0, shape: $0.1) }
    }

    /// The tensors of a safetensors file (header only; no data is read).
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(path: url.path)
        self.init(shapes: file.tensorInfos.map { ($0.name, $0.shape) }.sorted { $0.0 < $1.0 })
    }

    /// Parameters grouped by their first `depth` name components, in first-appearance order.
    public func groups(depth: Int = 1) -> [Group] {
        var order: [String] = []
        var sums: [String: (Int, Int)] = [:]
        for row in rows {
            let prefix = row.name.split(separator: ".").prefix(depth).joined(separator: ".")
            if sums[prefix] == nil { order.append(prefix) }
            let s = sums[prefix] ?? (0, 0)
            sums[prefix] = (s.0 + row.count, s.1 + 1)
        }
        let t = Double(max(total, 1))
        return order.map { p in
            Group(prefix: p, parameterCount: sums[p]!.0, tensorCount: sums[p]!.1, percent: 100 * Double(sums[p]!.0) / t)
        }
    }

    /// The groups at `depth` as text, then (when `rows` is true) one line per parameter.
    public func formatted(depth: Int = 1, rows includeRows: Bool = true) -> String {
        let width = max(rows.map(\.name.count).max() ?? 0, 12)
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        func num(_ n: Int) -> String {
            let s = String(n)
            let count = s.count
            return s.enumerated().map { i, c in ((count - i) % 3 == 0 && i > 0 ? "," : "") + String(c) }.joined()
        }
        var lines = ["\(pad("module", width))  \(pad("parameters", 14)) share"]
        for g in groups(depth: depth) {
            lines.append("\(pad(g.prefix, width))  \(pad(num(g.parameterCount), 14)) \(String(format: "%.2f", g.percent))%")
        }
        lines.append("\(pad("total", width))  \(num(total))")
        if includeRows {
            lines.append("")
            for r in rows { lines.append("\(pad(r.name, width))  \(pad(num(r.count), 14)) \(r.shape)") }
        }
        return lines.joined(separator: "\n")
    }

    public var description: String { formatted() }
}
