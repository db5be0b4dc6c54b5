import Foundation
import Testing
import TensorCore

/// Group construction, decay exclusion by name, nil gradients, zeroGrad and learning-rate
/// control.
@Suite struct OptimizerBehaviourTests {
    static func named(_ names: [String]) -> [(String, Parameter)] {
        names.map { ($0, Parameter(Tensor([1, 2], shape: [2]), name: $0)) }
    }

    @Test func decayExclusionByName() {
        let params = Self.named(["encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.query.bias",
                                 "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias", "pooler.dense.weight",
                                 "t5.layer_norm.weight"])
        let groups = ParameterGroup.excludingWeightDecay(params, learningRate: 3e-5, weightDecay: 0.01)
        #expect(groups.count == 2)
        #expect(groups[0].names == ["encoder.layer.0.attention.self.query.weight", "pooler.dense.weight"])
        #expect(groups[0].weightDecay == 0.01)
        #expect(groups[1].names == ["encoder.layer.0.attention.self.query.bias", "embeddings.LayerNorm.weight",
                                    "embeddings.LayerNorm.bias", "t5.layer_norm.weight"])
        #expect(groups[1].weightDecay == 0)
        #expect(groups.allSatisfy { $0.learningRate == 3e-5 && $0.baseLearningRate == 3e-5 })
        #expect(ParameterGroup.excludingWeightDecay(Self.named(["a.bias"]), learningRate: 1, weightDecay: 0.1).count == 1)
    }

    @Test(arguments: ["SGD", "Adam", "AdamW", "AdamWeightDecay", "LAMB"])
    func parametersWithoutGradientAreSkipped(kind: String) {
        let params = Self.named(["w", "frozen"])
        let groups = [ParameterGroup(params, learningRate: 0.1, weightDecay: 0.01)]
        let optimizer: any Optimizer = switch kind {
        case "SGD": SGD(groups, momentum: 0.9)
        case "Adam": Adam(groups)
        case "AdamW": AdamW(groups)
        case "AdamWeightDecay": AdamWeightDecay(groups)
        default: LAMB(groups)
        }
        #expect(optimizer.kind == kind)
        params[0].1.grad = Tensor([0.5, -0.5], shape: [2])
        optimizer.step()
        optimizer.step()
        #expect(params[1].1.value.toArray() == [1, 2])
        #expect(optimizer.state.existingState(for: params[1].1) == nil)
        #expect(optimizer.state.existingState(for: params[0].1)?.step == 2)
        #expect(params[0].1.value.toArray() != [1, 2])
        #expect(optimizer.stepCount == 2)
        optimizer.zeroGrad()
        #expect(params.allSatisfy { $0.1.grad == nil })
    }

    @Test func learningRateIsSettablePerStep() {
        let params = Self.named(["w", "b"])
        let sgd = SGD([ParameterGroup([params[0]], learningRate: 0.2, weightDecay: 0),
                       ParameterGroup([params[1]], learningRate: 0.1, weightDecay: 0)])
        sgd.applySchedule(.linear(warmupSteps: 4, totalSteps: 10), step: 2)
        #expect(sgd.parameterGroups.map(\.learningRate) == [0.1, 0.05])
        sgd.learningRate = 1
        #expect(sgd.parameterGroups.map(\.learningRate) == [1, 1])
        #expect(sgd.parameterGroups.map(\.baseLearningRate) == [0.2, 0.1])
        params[0].1.grad = Tensor([1, 1], shape: [2])
        sgd.parameterGroups[0].learningRate = 0.5
        sgd.step()
        #expect(params[0].1.value.toArray() == [0.5, 1.5])
    }

    @Test func stepDoesNotChangeTensorsSharingTheValue() {
        let parameter = Parameter(Tensor([1, 2, 3], shape: [3]), name: "w")
        let snapshot = parameter.value  // shares storage until the write
        parameter.grad = Tensor([1, 1, 1], shape: [3])
        SGD(parameters: [parameter], learningRate: 1).step()
        #expect(snapshot.toArray() == [1, 2, 3])
        #expect(parameter.value.toArray() == [0, 1, 2])
    }
}
