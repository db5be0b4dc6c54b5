import Foundation
import TensorCore

/// Restarts the process with `OPENBLAS_CORETYPE` set when OpenBLAS picked AVX2 kernels on a CPU
/// with AVX-512 (see `TensorCore.suggestedBLASCoreType`: sgemm runs about twice as fast).
///
/// OpenBLAS reads the variable only when it is loaded, so the commands that spend their time in
/// gemm (`encode`, `demo`, `bench`) call this first; it re-executes `/proc/self/exe` with the same
/// arguments (standard input is untouched, nothing has been read yet). Nothing happens when the
/// variable is already set (set it yourself to choose the kernels, e.g. `OPENBLAS_CORETYPE=Haswell`),
/// when `BERT_KEEP_BLAS_CORE=1`, or off Linux. If the exec fails, the process simply continues.
func useFastBLASKernels() {
    #if os(Linux)
    let env = ProcessInfo.processInfo.environment
    guard env["OPENBLAS_CORETYPE"] == nil, env["BERT_KEEP_BLAS_CORE"] == nil,
          let core = TensorCore.suggestedBLASCoreType else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    setenv("BERT_KEEP_BLAS_CORE", "1", 1)  // never loop
    var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
    argv.append(nil)
    execv("/proc/self/exe", argv)
    for p in argv { free(p) }  // only reached when execv failed
    #endif
}
