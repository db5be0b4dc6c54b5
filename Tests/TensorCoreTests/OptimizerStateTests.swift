import Foundation
import Testing
import TensorCore

/// Saving and loading optimizer state: training resumed from saved state continues bit for
/// bit, and every mismatch is a typed error that leaves the optimizer untouched.
@Suite struct OptimizerStateTests {
    typealias Fixture = OptimizerParityTests.Fixture

    static func run(_ fixture: Fixture, caseName: String, steps: Range<Int>, parameters: [String: Parameter],
                    optimizer: any Optimizer) {
        let testCase = fixture.cases.first { $0.name == caseName }!
        let schedule = OptimizerParityTests.makeSchedule(testCase)
        let all = fixture.params.map { parameters[$0.name]! }
        for step in steps {
            if let schedule { optimizer.applySchedule(schedule, step: optimizer.stepCount) }
            OptimizerParityTests.setGradients(fixture, step: step, parameters)
            if let clip = testCase.clip { clipGradNorm(all, maxNorm: clip) }
            optimizer.step()
        }
    }

    static func bits(_ parameters: [String: Parameter]) -> [String: [UInt32]] {
        parameters.mapValues { $0.value.toArray().map(\.bitPattern) }
    }

    @Test(arguments: ["sgd_momentum_dampening", "adamw_linear_clip", "adam_l2_betas", "adam_weight_decay", "lamb_poly_clip"])
    func resumedTrainingContinuesBitForBit(caseName: String) throws {
        let fixture = try #require(OptimizerParityTests.fixture)
        let testCase = try #require(fixture.cases.first { $0.name == caseName })
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let split = 13

        // Uninterrupted run, saving parameters and optimizer state at `split`.
        let parameters = OptimizerParityTests.makeParameters(fixture)
        let optimizer = OptimizerParityTests.makeOptimizer(testCase, parameters)
        Self.run(fixture, caseName: caseName, steps: 0..<split, parameters: parameters, optimizer: optimizer)
        try Safetensors.save(parameters.mapValues(\.value), to: directory.path("params.safetensors"))
        try optimizer.saveState(to: directory.path("optimizer.safetensors"))
        Self.run(fixture, caseName: caseName, steps: split..<fixture.steps, parameters: parameters, optimizer: optimizer)

        // Fresh process state: parameters and optimizer rebuilt from the files.
        let restoredValues = try Safetensors.load(directory.path("params.safetensors"))
        let resumed = OptimizerParityTests.makeParameters(fixture)
        for (name, parameter) in resumed { parameter.value = try #require(restoredValues[name]) }
        let resumedOptimizer = OptimizerParityTests.makeOptimizer(testCase, resumed)
        try resumedOptimizer.loadState(from: directory.path("optimizer.safetensors"))
        #expect(resumedOptimizer.stepCount == split)
        Self.run(fixture, caseName: caseName, steps: split..<fixture.steps, parameters: resumed,
                 optimizer: resumedOptimizer)

        #expect(Self.bits(resumed) == Self.bits(parameters))
        #expect(resumedOptimizer.stepCount == optimizer.stepCount)
        for ((_, a), (_, b)) in zip(optimizer.namedParameters, resumedOptimizer.namedParameters) {
            let sa = optimizer.state.existingState(for: a), sb = resumedOptimizer.state.existingState(for: b)
            #expect(sa?.step == sb?.step)
            #expect(sa?.buffers.keys.sorted() == sb?.buffers.keys.sorted())
            for (key, buffer) in sa?.buffers ?? [:] {
                #expect(buffer.toArray().map(\.bitPattern) == sb?.buffers[key]?.toArray().map(\.bitPattern))
            }
        }
    }

    /// A small trained AdamW whose state file the mismatch tests load elsewhere.
    static func trainedAdamW(_ directory: OptimTemporaryDirectory) throws -> (String, [Parameter]) {
        let a = Parameter(Tensor([1, 2, 3], shape: [3]), name: "a.weight")
        let b = Parameter(Tensor([0.5, -1], shape: [2]), name: "a.bias")
        let optimizer = AdamW(ParameterGroup.excludingWeightDecay([("a.weight", a), ("a.bias", b)],
                                                                  learningRate: 0.1, weightDecay: 0.01))
        for step in 0..<3 {
            a.grad = Tensor([0.1, -0.2, Float(step)], shape: [3])
            b.grad = Tensor([1, 1], shape: [2])
            optimizer.step()
        }
        let path = directory.path("adamw.safetensors")
        try optimizer.saveState(to: path)
        return (path, [a, b])
    }

    @Test func mismatchesAreTypedErrorsAndChangeNothing() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let (path, params) = try Self.trainedAdamW(directory)
        let named = [("a.weight", params[0]), ("a.bias", params[1])]
        let groups = ParameterGroup.excludingWeightDecay(named, learningRate: 0.1, weightDecay: 0.01)

        let adam = Adam(groups)
        #expect { try adam.loadState(from: path) } throws: { error in
            guard case let .kindMismatch(_, expected, found) = error as? OptimizerStateError else { return false }
            return expected == "Adam" && found == "AdamW"
        }
        #expect(adam.state.existingState(for: params[0]) == nil && adam.stepCount == 0)

        let otherBetas = AdamW(groups, betas: (0.8, 0.999))
        #expect { try otherBetas.loadState(from: path) } throws: { error in
            guard case let .hyperparameterMismatch(_, name, _, _) = error as? OptimizerStateError else { return false }
            return name == "beta1"
        }

        let renamed = AdamW([ParameterGroup([("x", params[0]), ("a.bias", params[1])], learningRate: 0.1, weightDecay: 0)])
        #expect { try renamed.loadState(from: path) } throws: { error in
            guard case .groupMismatch = error as? OptimizerStateError else { return false }
            return "\(error)".contains(path)
        }

        let wrongShape = Parameter(Tensor([1, 2], shape: [2]), name: "a.weight")
        let reshaped = AdamW(ParameterGroup.excludingWeightDecay([("a.weight", wrongShape), ("a.bias", params[1])],
                                                                 learningRate: 0.1, weightDecay: 0.01))
        #expect { try reshaped.loadState(from: path) } throws: { error in
            guard case let .bufferMismatch(_, parameter, _, _) = error as? OptimizerStateError else { return false }
            return parameter == "a.weight"
        }
        #expect(reshaped.state.existingState(for: params[1]) == nil, "failed load must not restore other parameters")

        let missing = AdamW(groups)
        #expect { try missing.loadState(from: directory.path("absent.safetensors")) } throws: { error in
            guard case .file(.io) = error as? OptimizerStateError else { return false }
            return true
        }

        var notState = SafetensorsWriter()
        notState.add("w", floats: [1], shape: [1])
        try notState.write(to: directory.path("weights.safetensors"))
        #expect { try missing.loadState(from: directory.path("weights.safetensors")) } throws: { error in
            guard case .invalidMetadata = error as? OptimizerStateError else { return false }
            return true
        }
    }

    @Test func loadRestoresGroupSettingsAndStepCount() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let (path, params) = try Self.trainedAdamW(directory)
        let optimizer = AdamW(ParameterGroup.excludingWeightDecay([("a.weight", params[0]), ("a.bias", params[1])],
                                                                  learningRate: 7, weightDecay: 3))
        try optimizer.loadState(from: path)
        #expect(optimizer.stepCount == 3)
        #expect(optimizer.parameterGroups.map(\.learningRate) == [0.1, 0.1])
        #expect(optimizer.parameterGroups.map(\.weightDecay) == [0.01, 0])
        #expect(optimizer.state.existingState(for: params[0])?.step == 3)
    }

    @Test func duplicateNamesCannotBeSaved() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        let a = Parameter(Tensor([1], shape: [1]), name: "same")
        let b = Parameter(Tensor([2], shape: [1]), name: "same")
        let sgd = SGD(parameters: [a, b], learningRate: 0.1)
        #expect { try sgd.saveState(to: directory.path("s.safetensors")) } throws: { error in
            guard case .duplicateParameterName = error as? OptimizerStateError else { return false }
            return true
        }
        #expect(try directory.contents().isEmpty)
    }
}
