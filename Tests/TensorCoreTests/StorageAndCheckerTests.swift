import Testing
import TensorCore

@Suite struct StorageAndCheckerTests {
    @Test func storageIsAlignedAndPoolReusesFreedBlocks() {
        let count = 3_333_331  // a bucket no other test uses
        var address: UInt = 0
        do {
            let t = Tensor.empty([count])
            address = UInt(bitPattern: t.baseAddress)
            #expect(address % 64 == 0)
        }
        let again = Tensor.zeros([count - 5])  // same bucket
        #expect(UInt(bitPattern: again.baseAddress) == address)
        #expect(again.toArray().allSatisfy { $0 == 0 })
        #expect(UInt(bitPattern: Tensor.empty([7]).baseAddress) % 64 == 0)
    }

    @Test func gradientCheckCatchesAWrongBackward() {
        func wrongSquare(_ x: Tensor) -> Tensor {
            let out = withNoGrad { x * x }
            let saved = x.detached()
            return Tensor.record(op: "wrongSquare", inputs: [x], output: out) { g in [g * saved * 3] }  // should be 2
        }
        let result = gradientCheck({ wrongSquare($0[0]) }, inputs: [Tensor([1, 2, 3], shape: [3])])
        #expect(!result.passed)
        #expect(result.worstInput == 0 && result.worstElement == 2)
        #expect(Swift.abs(result.worstAnalytic / result.worstNumeric - 1.5) < 0.01)
        #expect(result.maxRelativeError > 0.3)
    }

    @Test func blasFacts() {
        #expect(TensorCore.blasThreads >= 1)
        #expect(!TensorCore.blasCoreName.isEmpty)
        #expect(TensorCore.blasConfig.contains("OpenBLAS"))
    }
}
