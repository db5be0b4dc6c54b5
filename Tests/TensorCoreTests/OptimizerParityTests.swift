import Foundation
import Testing
import TensorCore

/// Every optimizer against its reference trajectory (`Scripts/make_optim_fixtures.py`):
/// torch.optim SGD / Adam / AdamW driven by HF schedules and clip_grad_norm_, and float32
/// numpy ports of Google's AdamWeightDecay and NVIDIA apex's LAMB. 30 steps, two parameter
/// groups, one parameter without gradient every fourth step, one starting at zero.
@Suite struct OptimizerParityTests {
    struct Fixture: Decodable {
        struct Param: Decodable {
            var name: String
            var shape: [Int]
            var values: [Float]
        }
        struct Large: Decodable {
            struct Case: Decodable {
                var name: String
                var norms: [Double]
                var sample: [Float]
            }
            var size: Int
            var steps: Int
            var stride: Int
            var cases: [Case]
        }
        var steps: Int
        var large: Large
        var params: [Param]
        var grads: [[String: [Float]?]]
        var cases: [Case]
    }

    struct Case: Decodable {
        struct Group: Decodable {
            var params: [String]
            var lr: Double
            var weight_decay: Double
        }
        struct Options: Decodable {
            var momentum: Double?
            var dampening: Double?
            var nesterov: Bool?
            var betas: [Double]?
            var eps: Double?
        }
        struct Schedule: Decodable {
            var kind: String
            var warmup: Int?
            var total: Int?
            var lr_end: Double?
            var power: Double?
        }
        var name: String
        var optimizer: String
        var options: Options
        var groups: [Group]
        var schedule: Schedule?
        var clip: Double?
        var trajectory: [[String: [Float]]]
        var lrs: [[Double]]
        var norms: [Double]
    }

    static let fixture: Fixture? = try? OptimFixtures.decode(Fixture.self, "optim/optimizers.json")

    /// Fresh parameters with the fixture's initial values.
    static func makeParameters(_ fixture: Fixture) -> [String: Parameter] {
        Dictionary(uniqueKeysWithValues: fixture.params.map {
            ($0.name, Parameter(Tensor($0.values, shape: $0.shape), name: $0.name))
        })
    }

    static func makeOptimizer(_ testCase: Case, _ parameters: [String: Parameter]) -> any Optimizer {
        let groups = testCase.groups.map { group in
            ParameterGroup(group.params.map { ($0, parameters[$0]!) }, learningRate: group.lr,
                           weightDecay: group.weight_decay)
        }
        let options = testCase.options
        let betas = options.betas.map { ($0[0], $0[1]) }
        switch testCase.optimizer {
        case "sgd":
            return SGD(groups, momentum: options.momentum ?? 0, dampening: options.dampening ?? 0,
                       nesterov: options.nesterov ?? false)
        case "adam": return Adam(groups, betas: betas ?? (0.9, 0.999), epsilon: options.eps ?? 1e-8)
        case "adamw": return AdamW(groups, betas: betas ?? (0.9, 0.999), epsilon: options.eps ?? 1e-8)
        case "adam_weight_decay": return AdamWeightDecay(groups, betas: betas!, epsilon: options.eps!)
        case "lamb": return LAMB(groups, betas: betas!, epsilon: options.eps!)
        default: fatalError("unknown optimizer \(testCase.optimizer)")
        }
    }

    static func makeSchedule(_ testCase: Case) -> LearningRateSchedule? {
        guard let s = testCase.schedule else { return nil }
        let warmup = s.warmup ?? 0, total = s.total ?? 0
        switch s.kind {
        case "linear": return .linear(warmupSteps: warmup, totalSteps: total)
        case "bert_original": return .bertOriginal(warmupSteps: warmup, totalSteps: total)
        case "polynomial":
            return .polynomial(warmupSteps: warmup, totalSteps: total, initialLR: testCase.groups[0].lr,
                               endLR: s.lr_end!, power: s.power!)
        default: fatalError("unknown schedule \(s.kind)")
        }
    }

    /// Sets the gradients of step `step` (nil where the fixture has none).
    static func setGradients(_ fixture: Fixture, step: Int, _ parameters: [String: Parameter]) {
        for param in fixture.params {
            let values = fixture.grads[step][param.name] ?? nil
            parameters[param.name]!.grad = values.map { Tensor($0, shape: param.shape) }
        }
    }

    @Test func fixtureHasEveryOptimizer() throws {
        let fixture = try #require(Self.fixture)
        #expect(Set(fixture.cases.map(\.optimizer)) == ["sgd", "adam", "adamw", "adam_weight_decay", "lamb"])
        #expect(fixture.steps >= 25)
    }

    @Test(arguments: (fixture?.cases ?? []).map(\.name))
    func trajectoryMatchesReference(name: String) throws {
        let fixture = try #require(Self.fixture)
        let testCase = try #require(fixture.cases.first { $0.name == name })
        let parameters = Self.makeParameters(fixture)
        let optimizer = Self.makeOptimizer(testCase, parameters)
        let schedule = Self.makeSchedule(testCase)
        let all = fixture.params.map { parameters[$0.name]! }
        for step in 0..<fixture.steps {
            if let schedule { optimizer.applySchedule(schedule, step: optimizer.stepCount) }
            for (group, expected) in zip(optimizer.parameterGroups, testCase.lrs[step]) {
                #expect(abs(group.learningRate - expected) <= 1e-12 * abs(expected) + 1e-18,
                        "\(name) step \(step): lr \(group.learningRate) vs \(expected)")
            }
            Self.setGradients(fixture, step: step, parameters)
            if let clip = testCase.clip {
                let norm = clipGradNorm(all, maxNorm: clip)
                let expected = Float(testCase.norms[step])
                #expect(abs(norm - expected) <= 1e-6 * expected, "\(name) step \(step): norm \(norm) vs \(expected)")
            }
            optimizer.step()
            for param in fixture.params {
                // 1e-6 relative per element, with an absolute floor of 1e-6 × the tensor's
                // largest magnitude: elements crossing zero lose relative precision in float32
                // by cancellation (PyTorch's vectorised loops also fuse multiply-adds).
                let expected = testCase.trajectory[step][param.name]!
                let scale = expected.reduce(Float(0)) { max($0, abs($1)) }
                OptimFixtures.expectClose(parameters[param.name]!.value.toArray(), expected,
                                          relative: 1e-6, absolute: max(1e-6 * scale, 1e-9),
                                          "\(name) step \(step) \(param.name)")
            }
        }
        #expect(optimizer.stepCount == fixture.steps)
    }

    /// A parameter spanning two optimizer chunks (70001 elements), whose kernels and norms run
    /// chunked and on several threads: AdamW + clipping against torch, LAMB against numpy.
    @Test(arguments: ["adamw", "lamb"])
    func chunkedLargeParameterMatchesReference(name: String) throws {
        let large = try #require(Self.fixture).large
        let expected = try #require(large.cases.first { $0.name == name })
        let initial = (0..<large.size).map { Float(Double(($0 * 7919) % 1000) / 1000.0 - 0.5) }
        let parameter = Parameter(Tensor(initial, shape: [large.size]), name: "big.weight")
        let group = [ParameterGroup(parameters: [parameter], learningRate: 1e-2, weightDecay: 0.01)]
        let optimizer: any Optimizer = name == "adamw" ? AdamW(group) : LAMB(group)
        for step in 0..<large.steps {
            let gradient = (0..<large.size).map { Float(Double((($0 * 31 + step * 17) % 2001) - 1000) / 100000.0) }
            parameter.grad = Tensor(gradient, shape: [large.size])
            if name == "adamw" {
                let norm = clipGradNorm([parameter], maxNorm: 1.0)
                #expect(abs(Double(norm) - expected.norms[step]) <= 1e-6 * expected.norms[step])
            }
            optimizer.step()
        }
        let values = parameter.value.toArray()
        let sample = stride(from: 0, to: large.size, by: large.stride).map { values[$0] }
        let scale = expected.sample.reduce(Float(0)) { max($0, abs($1)) }
        OptimFixtures.expectClose(sample, expected.sample, relative: 1e-6, absolute: 1e-6 * scale, "large \(name)")
    }
}
