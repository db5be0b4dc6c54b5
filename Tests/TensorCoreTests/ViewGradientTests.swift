import Testing
import TensorCore

@Suite struct ViewGradientTests {
    @Test func viewOpsPassGradientsBack() {
        var rng = RandomGenerator(seed: 21)
        let x = Tensor.normal([2, 3, 4], generator: &rng)
        let xt = Tensor.normal([4, 3], generator: &rng).transposed()   // [3, 4] strided
        expectGradient({ $0[0].reshape([6, 4]) * $0[0].reshape([6, 4]) }, [x])
        expectGradient({ $0[0].reshape([12]).exp() }, [xt])            // reshape of a strided tensor copies
        expectGradient({ $0[0].permute([2, 0, 1]).exp() }, [x])
        expectGradient({ $0[0].transposed(0, 2).contiguous() * 2 }, [x])
        expectGradient({ $0[0].narrow(axis: 1, start: 1, length: 2).exp() }, [x])
        expectGradient({ $0[0].slice(axis: 0, start: 1, length: 2).exp() }, [xt])
        expectGradient({ $0[0].narrow(axis: 2, start: 0, length: 2) * $0[0].narrow(axis: 2, start: 2, length: 2) }, [x])
        expectGradient({ $0[0].unsqueeze(axis: 1).expand(to: [2, 5, 3, 4]).exp() }, [x])
        expectGradient({ $0[0].sum(axes: [1], keepDim: true).squeeze(axis: 1).unsqueeze(axis: 0) }, [x])
        expectGradient({ $0[0].unsqueeze(axis: -1).squeeze().exp() }, [xt])
        expectGradient({ $0[0].flatten(startAxis: 1) * 3 }, [x])
    }
}
