import Testing
import BertKit
import TensorCore

/// `bert bench --profile` relies on BertProfile: it must see every section and must not change
/// what the model computes (its bracketing nodes are identities in the graph).
@Suite struct BertProfileTests {
    @Test func profilingSeesSectionsAndLeavesGradientsUnchanged() throws {
        let config = BertConfig(vocabSize: 99, hiddenSize: 20, numHiddenLayers: 2, numAttentionHeads: 4,
                                intermediateSize: 37, maxPositionEmbeddings: 40)
        var rng = RandomGenerator(seed: 11)
        let model = BertForPreTraining(config: config, generator: &rng)
        model.eval()
        let input = try BertInput(inputIds: IntTensor([2, 7, 4, 9, 11, 3], shape: [1, 6]), config: config)
        let labels = IntTensor([-100, 7, -100, -100, 11, -100], shape: [1, 6])
        let nsp = IntTensor([1], shape: [1])
        func gradients() -> [[Float]] { model.namedParameters().map { $0.1.grad?.toArray() ?? [] } }

        let plain = try model(input, labels: labels, nextSentenceLabel: nsp)
        plain.loss!.backward()
        let plainGradients = gradients()
        model.zeroGrad()
        let (profiledLoss, profile) = try BertProfile.measure {
            let out = try model(input, labels: labels, nextSentenceLabel: nsp)
            out.loss!.backward()
            return out.loss!.item
        }
        #expect(abs(profiledLoss - plain.loss!.item) <= 1e-6 * abs(plain.loss!.item))
        // Same gradients up to summation order (the extra identity nodes can reorder accumulation).
        for ((name, p), want) in zip(model.namedParameters(), plainGradients) {
            let got = p.grad?.toArray() ?? []
            expectGradClose(Tensor(got, shape: [got.count]), Tensor(want, shape: [want.count]), rtol: 1e-5,
                            "profiled grad \(name)")
        }
        let sections = Dictionary(uniqueKeysWithValues: profile.sections.map { ($0.label, $0) })
        for label in ["embeddings", "attention.qkv", "attention.scores+softmax+context",
                      "attention.output+layernorm", "ffn.intermediate+act", "ffn.output+layernorm",
                      "mlm head (masked rows)"] {
            #expect(sections[label] != nil, "section \(label) not seen")
            #expect((sections[label]?.forward ?? 0) > 0, "no forward time for \(label)")
        }
        #expect((sections["ffn.intermediate+act"]?.backward ?? 0) > 0, "backward not bracketed")
        #expect(profile.report(totalSeconds: 1).contains("attention.qkv"))
    }
}
