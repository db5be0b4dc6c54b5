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

    /// Parameters gathered from several modules share names ("weight", "bias"): their state
    /// is keyed by position (names still checked), so the README's own loop can save and resume.
    @Test func repeatedNamesAreKeyedByPosition() throws {
        let directory = try OptimTemporaryDirectory()
        defer { directory.remove() }
        var rng = RandomGenerator(seed: 11)
        let fc1 = Linear(inFeatures: 2, outFeatures: 3, generator: &rng)
        let fc2 = Linear(inFeatures: 3, outFeatures: 2, generator: &rng)
        let optimizer = AdamW(parameters: fc1.parameters() + fc2.parameters(), learningRate: 1e-2)
        let x = Tensor([0.1, 0.2, -0.3, 0.4], shape: [2, 2])
        for _ in 0..<2 {
            optimizer.zeroGrad()
            fc2(fc1(x).relu()).square().sum().backward()
            optimizer.step()
        }
        let path = directory.path("adamw.safetensors")
        try optimizer.saveState(to: path)
        let keys = try SafetensorsFile(path: path).names.sorted()
        #expect(keys == ["bias#0/exp_avg", "bias#0/exp_avg_sq", "bias#1/exp_avg", "bias#1/exp_avg_sq",
                         "weight#0/exp_avg", "weight#0/exp_avg_sq", "weight#1/exp_avg", "weight#1/exp_avg_sq"])
        // A fresh optimizer over the same parameters restores each one's own moments.
        let resumed = AdamW(parameters: fc1.parameters() + fc2.parameters(), learningRate: 1e-2)
        try resumed.loadState(from: path)
        for p in fc1.parameters() + fc2.parameters() {
            let a = optimizer.state.existingState(for: p)!, b = resumed.state.existingState(for: p)!
            #expect(a.step == b.step && a.buffers.keys.sorted() == b.buffers.keys.sorted())
            for (name, buffer) in a.buffers {
                let other = b.buffers[name]!
                #expect(Array(UnsafeBufferPointer(start: buffer.pointer, count: buffer.count))
                        == Array(UnsafeBufferPointer(start: other.pointer, count: other.count)))
            }
        }
        // The same parameters in another order are refused: here by the sizes of the moments (names
        // alone, weight/bias/weight/bias, cannot tell fc1 from fc2 — prefix them to make that checkable).
        let swapped = AdamW(parameters: fc2.parameters() + fc1.parameters(), learningRate: 1e-2)
        #expect(throws: OptimizerStateError.self) { try swapped.loadState(from: path) }
        // With prefixed names, keys are plain names again.
        let prefixed = AdamW([ParameterGroup(fc1.namedParameters(prefix: "fc1") + fc2.namedParameters(prefix: "fc2"),
                                              learningRate: 1e-2, weightDecay: 0.01)])
        #expect(prefixed.namedParameters.map(\.0) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
    }
}
