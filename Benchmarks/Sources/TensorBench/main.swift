import TensorCore

// Usage: swift run -c release TensorBench [suite …]   (no suite: all)
// Suites: matmul [--torch], elementwise
let arguments = Array(CommandLine.arguments.dropFirst())
let suites = arguments.filter { !$0.hasPrefix("--") }
print("OpenBLAS threads: \(TensorCore.blasThreads), kernel: \(TensorCore.blasCoreName)"
      + (TensorCore.suggestedBLASCoreType.map { " (set OPENBLAS_CORETYPE=\($0) for AVX-512 kernels)" } ?? ""))
if suites.isEmpty || suites.contains("matmul") {
    MatmulBenchmark.run(withTorch: arguments.contains("--torch"))
}
if suites.isEmpty || suites.contains("elementwise") {
    ElementwiseBenchmark.run()
}
