import TensorCore

print("OpenBLAS threads: \(TensorCore.blasThreads)")
