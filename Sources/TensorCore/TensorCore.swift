import CBLAS
import CKernels

/// Namespace for package-level facts about TensorCore.
public enum TensorCore {
    /// Number of threads OpenBLAS uses for gemm.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }

    /// The kernel family OpenBLAS selected for this CPU (e.g. "Haswell", "SkylakeX").
    public static var blasCoreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS build configuration string.
    public static var blasConfig: String { String(cString: openblas_get_config()) }

    /// A better `OPENBLAS_CORETYPE` for this machine when OpenBLAS fell back to an AVX2 kernel
    /// on a CPU with AVX-512 (for instance because the environment forces
    /// `OPENBLAS_CORETYPE=Haswell`, which halves sgemm throughput). OpenBLAS reads the variable when it is
    /// loaded, so it must be set in the environment before the process starts, e.g.
    /// `OPENBLAS_CORETYPE=SkylakeX bert …`. Nil when nothing better is known.
    public static var suggestedBLASCoreType: String? {
        guard tc_cpu_has_avx512f() != 0 else { return nil }
        let avx2Kernels: Set<String> = ["haswell", "zen", "sandybridge", "prescott", "nehalem", "core2"]
        return avx2Kernels.contains(blasCoreName.lowercased()) ? "SkylakeX" : nil
    }
}
