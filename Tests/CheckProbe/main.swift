// A test helper, not a tool: runs one TensorCore op with mismatched shapes so that
// `CheckedFailureTests` can read, from a child process, the message a release build prints.
// Usage: CheckProbe <case>   (the cases are the keys of `cases` below)
import Foundation
import TensorCore

let cases: [String: () -> Void] = [
    "matmul": { _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5])) },
    "add": { _ = Tensor.zeros([2, 3]) + Tensor.zeros([4, 5]) },
    "mul": { _ = Tensor.zeros([2, 3]) * Tensor.zeros([3, 2]) },
    "reshape": { _ = Tensor.zeros([2, 3]).reshape([4, 2]) },
    "crossEntropy": { _ = crossEntropy(logits: Tensor.zeros([2, 3]), targets: IntTensor([0, 1, 2], shape: [3])) },
    "embedding": { _ = embedding(weight: Tensor.zeros([4, 2]), indices: IntTensor([7], shape: [1])) },
    "linear": { _ = Tensor.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([5, 4]), bias: nil) },
    "layerNorm": { _ = Tensor.zeros([2, 3]).layerNorm(weight: Tensor.ones([4]), bias: nil) },
    "concat": { _ = Tensor.concat([Tensor.zeros([2, 3]), Tensor.zeros([2, 4])], axis: 0) },
    "mseLoss": { _ = mseLoss(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])) },
    "attention": {
        _ = Tensor.scaledDotProductAttention(query: Tensor.zeros([1, 2, 3, 4]), key: Tensor.zeros([1, 2, 3, 5]),
                                             value: Tensor.zeros([1, 2, 3, 5]))
    },
    "permute": { _ = Tensor.zeros([2, 3]).permute([0, 0]) },
]

let name = CommandLine.arguments.dropFirst().first ?? ""
guard let run = cases[name] else {
    print("unknown case '\(name)'; known: \(cases.keys.sorted().joined(separator: ", "))")
    exit(2)
}
run()
print("\(name): no failure")
exit(3)
