import TensorCore

TensorCore.configureBLASForThisProcess()   // first statement of main: may restart the program once
print("OpenBLAS \(TensorCore.blasCoreName) kernels, \(TensorCore.blasThreads) threads")

// ---- Not in the README: what the (possibly restarted) process sees, for Scripts/check_readme_output.py.
import Foundation

let environment = ProcessInfo.processInfo.environment
let report: [String: Any] = [
    "program": "BLASSettings",
    "core": TensorCore.blasCoreName,
    "suggested_core": TensorCore.suggestedBLASCoreType ?? NSNull(),
    "OPENBLAS_CORETYPE": environment["OPENBLAS_CORETYPE"] ?? NSNull(),
    "OPENBLAS_THREAD_TIMEOUT": environment["OPENBLAS_THREAD_TIMEOUT"] ?? NSNull(),
    "restarted": environment[TensorCore.keepBLASSettingsVariable] != nil,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
