import Foundation
import TensorCore

/// Restarts the process once with OpenBLAS settings that suit gemm-bound work, because
/// OpenBLAS reads them only when it is loaded:
///
/// - `OPENBLAS_CORETYPE`, when OpenBLAS picked AVX2 kernels on a CPU with AVX-512 (see
///   `TensorCore.suggestedBLASCoreType`: sgemm runs about twice as fast);
/// - `OPENBLAS_THREAD_TIMEOUT=4`: OpenBLAS's idle worker threads otherwise spin in
///   `sched_yield` for ~2^28 cycles after every gemm and compete with the fused kernels that
///   run on the same cores between gemms (measured: BERT-base training +4–8 % per step, see
///   Docs/PERFORMANCE.md).
///
/// The commands that spend their time in gemm (`encode`, `demo`, `bench`) call this first; it
/// re-executes `/proc/self/exe` with the same arguments (standard input is untouched, nothing
/// has been read yet). A variable that is already set is left alone (set it yourself to choose,
/// e.g. `OPENBLAS_CORETYPE=Haswell`); nothing happens when `BERT_KEEP_BLAS_CORE=1`, or off
/// Linux. If the exec fails, the process simply continues.
func useFastBLASKernels() {
    #if os(Linux)
    let env = ProcessInfo.processInfo.environment
    guard env["BERT_KEEP_BLAS_CORE"] == nil else { return }
    var changed = false
    if env["OPENBLAS_CORETYPE"] == nil, let core = TensorCore.suggestedBLASCoreType {
        setenv("OPENBLAS_CORETYPE", core, 1)
        changed = true
    }
    if env["OPENBLAS_THREAD_TIMEOUT"] == nil {
        setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1)
        changed = true
    }
    guard changed else { return }
    setenv("BERT_KEEP_BLAS_CORE", "1", 1)  // never loop
    var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
    argv.append(nil)
    execv("/proc/self/exe", argv)
    for p in argv { free(p) }  // only reached when execv failed
    #endif
}
