import Foundation
import Testing
import BertKit
import TensorCore
import ParityTesting

/// A parity case directory written by a fixture script: `inputs.json` (inputs and small
/// outputs) and one `.safetensors` file per model class (outputs, extra parameters, gradients).
protocol ParityFixtureCase {
    var dir: URL { get }
    var json: [String: Any] { get }
}

extension ParityFixtureCase {
    static func readInputs(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("inputs.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Outputs, extra parameters and gradients of one head class.
    func file(_ name: String) throws -> [String: Tensor] {
        try readSafetensors(dir.appendingPathComponent(name + ".safetensors"))
    }

    /// An integer array of `inputs.json`: [B, T] from rows, [B] from a flat list.
    func ints(_ key: String) -> IntTensor {
        let rows = json[key] as! [Any]
        if let m = rows as? [[Int]] { return IntTensor(m.flatMap { $0 }, shape: [m.count, m.first?.count ?? 0]) }
        let v = rows as! [Int]
        return IntTensor(v, shape: [v.count])
    }

    /// An integer array of `inputs.json`, of any nesting, as a tensor of `shape`.
    func ints(_ key: String, shape: [Int]) -> IntTensor {
        func flat(_ value: Any) -> [Int] { (value as? Int).map { [$0] } ?? (value as! [Any]).flatMap(flat) }
        return IntTensor(flat(json[key]!), shape: shape)
    }

    /// A number array of `inputs.json`, of any nesting, as a tensor of `shape`.
    func floats(_ key: String, shape: [Int]) -> Tensor {
        func flat(_ value: Any) -> [Double] { (value as? Double).map { [$0] } ?? (value as! [Any]).flatMap(flat) }
        return Tensor(flat(json[key]!).map { Float($0) }, shape: shape)
    }
}

/// One case directory written by Scripts/make_bert_fixtures.py.
struct BertFixture: ParityFixtureCase {
    let dir: URL
    let config: BertConfig
    let base: [String: Tensor]
    let json: [String: Any]

    init(_ name: String) throws {
        dir = fixturesURL(name)
        config = try BertConfig(contentsOf: dir.appendingPathComponent("config.json"))
        base = try readSafetensors(dir.appendingPathComponent("model.safetensors"))
        json = try Self.readInputs(dir)
    }

    func input(_ config: BertConfig? = nil) throws -> BertInput {
        try BertInput(inputIds: ints("input_ids"), attentionMask: ints("attention_mask"),
                      tokenTypeIds: ints("token_type_ids"), config: config ?? self.config)
    }

    /// Loads base weights plus the class's own `param.*` tensors; the checkpoint must cover
    /// every parameter, and only head keys of other classes may be left over.
    func load(_ model: any Module, extra: [String: Tensor], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var tensors = base
        for (k, v) in extra where k.hasPrefix("param.") { tensors[String(k.dropFirst(6))] = v }
        let report = try BertCheckpoint.load(tensors, into: model, strict: false)
        #expect(report.missing.isEmpty, "missing: \(report.missing)", sourceLocation: sourceLocation)
        #expect(report.wrongShape.isEmpty, "wrong shape: \(report.wrongShape)", sourceLocation: sourceLocation)
        let allowed = report.unexpected.allSatisfy { $0.hasPrefix("cls.") || $0.hasPrefix("bert.pooler.") }
        #expect(allowed, "unexpected: \(report.unexpected)", sourceLocation: sourceLocation)
    }
}

/// |got − want| ≤ atol + rtol·|want| everywhere; on failure reports the worst element.
func expectClose(_ got: Tensor, _ want: Tensor, atol: Float = 1e-5, rtol: Float = 1e-5, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    // The ParityTesting product's comparison (NumPy allclose semantics): our own parity tests
    // are its first users.
    let comparison = TensorComparison(got, want, tolerance: Tolerance(rtol: Double(rtol), atol: Double(atol)), name: what)
    #expect(comparison.passed, "\(comparison)", sourceLocation: sourceLocation)
}

/// Gradient check: |got − want| ≤ rtol · max(max|want|, 1e-2) — relative to the tensor's scale,
/// with a floor for gradients that are exactly zero in theory (key biases, the QA head's bias:
/// softmax is invariant to them, so both sides hold only float32 noise of up to ~1e-7, the
/// rounding of per-row gradients of order 0.5).
func expectGradClose(_ got: Tensor, _ want: Tensor, rtol: Float = 1e-4, _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    let scale = max(want.toArray().map(abs).max() ?? 0, 1e-2)
    expectClose(got, want, atol: rtol * scale, rtol: 0, what, sourceLocation: sourceLocation)
}

/// Compares every named parameter's gradient with the fixture's `grad.<name>`; every fixture
/// gradient must have a matching parameter.
func expectGradients(_ model: any Module, _ file: [String: Tensor], sourceLocation: SourceLocation = #_sourceLocation) {
    let params = Dictionary(model.namedParameters().map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    let names = file.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) }
    let diff = Set(names).symmetricDifference(params.keys).sorted()
    #expect(diff.isEmpty, "parameter names differ from transformers: \(diff)", sourceLocation: sourceLocation)
    for name in names.sorted() {
        guard let p = params[name] else { continue }
        let want = file["grad." + name]!
        let got = p.grad ?? Tensor.zeros(want.shape)
        expectGradClose(got, want, "grad \(name)", sourceLocation: sourceLocation)
    }
}
