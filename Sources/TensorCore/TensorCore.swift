import CBLAS
import CKernels

/// Namespace for package-level facts about TensorCore.
public enum TensorCore {
    /// Number of threads OpenBLAS uses for gemm.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }
}
