import Testing
import TensorCore

/// The decision behind `TensorCore.configureBLASForThisProcess()` (the restart itself is run by
/// the `bert bench` test in BertKitTests and by the downstream package's BLASSettings program).
@Suite struct BLASProcessSettingsTests {
    @Test func setsOnlyWhatIsUnset() {
        #expect(TensorCore.recommendedBLASEnvironment(for: [:], suggestedCoreType: nil)
            == ["OPENBLAS_THREAD_TIMEOUT": "4"])
        #expect(TensorCore.recommendedBLASEnvironment(for: ["PATH": "/bin"], suggestedCoreType: "SkylakeX")
            == ["OPENBLAS_THREAD_TIMEOUT": "4", "OPENBLAS_CORETYPE": "SkylakeX"])
        #expect(TensorCore.recommendedBLASEnvironment(for: ["OPENBLAS_CORETYPE": "Haswell"], suggestedCoreType: "SkylakeX")
            == ["OPENBLAS_THREAD_TIMEOUT": "4"])
        #expect(TensorCore.recommendedBLASEnvironment(for: ["OPENBLAS_THREAD_TIMEOUT": "0"], suggestedCoreType: "SkylakeX")
            == ["OPENBLAS_CORETYPE": "SkylakeX"])
        #expect(TensorCore.recommendedBLASEnvironment(
            for: ["OPENBLAS_THREAD_TIMEOUT": "4", "OPENBLAS_CORETYPE": "Zen"], suggestedCoreType: "SkylakeX").isEmpty)
    }

    /// The opt-out (also set by the restart, so it never loops) and MPI launchers: no restart.
    @Test func optOutAndMPIMeanNoRestart() {
        #expect(TensorCore.recommendedBLASEnvironment(for: [TensorCore.keepBLASSettingsVariable: "1"],
                                                      suggestedCoreType: "SkylakeX").isEmpty)
        for name in TensorCore.mpiLauncherVariables {
            #expect(TensorCore.recommendedBLASEnvironment(for: [name: "0"], suggestedCoreType: "SkylakeX").isEmpty, "\(name)")
        }
    }

    @Test func coreNameIsReadable() {
        #expect(!TensorCore.blasCoreName.isEmpty)
        #expect(TensorCore.blasThreads >= 1)
    }
}
