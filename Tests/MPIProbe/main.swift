// Run under mpirun by BertDistributedTests: `MPIProbe sum|broadcast|mismatch`. Each rank checks
// its own results and prints "OK <check> rank R" or "FAIL …" (exit 1).
import BertDistributed
import BertKit
import Foundation
import TensorCore

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("FAIL \(text)\n".utf8))
    exit(1)
}

/// Rank r's gradient for parameter i: values drawn from a seed of (r, i).
func contribution(rank: Int, index: Int, count: Int) -> [Float] {
    var rng = RandomGenerator(seed: UInt64(1000 * rank + index + 1))
    return (0..<count).map { _ in rng.nextFloat() * 2 - 1 }
}

/// Bucketed sums (tiny buckets: many of them) equal the plain sum of every rank's gradient,
/// started from the hook during backward; a parameter only rank 0 reaches gets rank 0's
/// gradient everywhere; one nobody reaches keeps grad == nil.
func checkSum(_ mpi: MPIRuntime) throws {
    let sizes = [3, 100, 5, 1000, 17, 1, 64, 9]
    let parameters = sizes.enumerated().map { Parameter(Tensor(Array(repeating: 0.5, count: $1), shape: [$1]), name: "p\($0)") }
    let onlyRank0 = 2, nobody = 5
    for overlap in [true, true, false] {
        let reducer = try MPIGradientReducer(parameters: parameters, runtime: mpi, bucketBytes: 256)
        reducer.overlap = overlap
        for step in 0..<2 {
            for p in parameters { p.zeroGrad() }
            var loss = Tensor(0)
            for (i, p) in parameters.enumerated() where i != nobody && (i != onlyRank0 || mpi.rank == 0) {
                let c = contribution(rank: mpi.rank + step, index: i, count: sizes[i])
                loss = loss + (p.value * Tensor(c, shape: [sizes[i]])).sum()
            }
            reducer.beginReduction()
            loss.backward()
            try reducer.finishReduction()
            for (i, p) in parameters.enumerated() {
                if i == nobody {
                    guard p.grad == nil else { fail("parameter reached by no rank got a gradient") }
                    continue
                }
                var expected = [Float](repeating: 0, count: sizes[i])
                for r in 0..<mpi.worldSize where i != onlyRank0 || r == 0 {
                    let c = contribution(rank: r + step, index: i, count: sizes[i])
                    for k in expected.indices { expected[k] += c[k] }
                }
                guard let grad = p.grad?.toArray() else { fail("p\(i) has no gradient") }
                let worst = zip(grad, expected).map { abs($0 - $1) / max(1, abs($1)) }.max()!
                let exact = mpi.worldSize > 2 || grad == expected  // two ranks: a + b is exact
                guard worst <= 1e-6, exact else { fail("p\(i) step \(step) overlap \(overlap): max error \(worst)") }
            }
        }
        let s = reducer.statistics
        guard s.steps == 2, s.bucketsPerStep > 4 else { fail("expected 2 steps and many buckets, got \(s)") }
        if overlap && s.bucketsStartedDuringBackward == 0 { fail("no bucket started during backward: \(s)") }
        if !overlap && s.bucketsStartedDuringBackward != 0 { fail("blocking mode started buckets early: \(s)") }
    }
    print("OK sum rank \(mpi.rank) buckets-during-backward")
}

/// synchronize copies rank 0's values to every rank.
func checkBroadcast(_ mpi: MPIRuntime) throws {
    let parameters = [4, 33, 7].enumerated().map {
        Parameter(Tensor(contribution(rank: mpi.rank, index: $0, count: $1), shape: [$1]), name: "p\($0)")
    }
    let reducer = try MPIGradientReducer(parameters: parameters, runtime: mpi)
    try reducer.synchronize(parameters, fingerprint: "same")
    for (i, p) in parameters.enumerated() where p.value.toArray() != contribution(rank: 0, index: i, count: p.value.count) {
        fail("p\(i) differs from rank 0's after synchronize")
    }
    print("OK broadcast rank \(mpi.rank)")
}

/// A fingerprint that differs on the last rank is refused on every rank.
func checkMismatch(_ mpi: MPIRuntime) throws {
    let parameters = [Parameter(Tensor([1, 2], shape: [2]), name: "w")]
    let reducer = try MPIGradientReducer(parameters: parameters, runtime: mpi)
    do {
        try reducer.synchronize(parameters, fingerprint: "lr=1e-4\nseed=\(mpi.rank == mpi.worldSize - 1 ? 7 : 42)")
        fail("a differing fingerprint was accepted")
    } catch let error as DistributedError {
        guard case let .mismatch(_, differing, _) = error, differing == [mpi.worldSize - 1] else { fail("\(error)") }
        print("OK mismatch rank \(mpi.rank): \(error)")
    }
}

guard let mpi = try MPIRuntime.startIfLaunched() else { fail("not started by mpirun") }
guard mpi.worldSize >= 2 else { fail("needs at least 2 processes") }
switch CommandLine.arguments.dropFirst().first {
case "sum": try checkSum(mpi)
case "broadcast": try checkBroadcast(mpi)
case "mismatch": try checkMismatch(mpi)
default: fail("usage: MPIProbe sum|broadcast|mismatch")
}
mpi.finish()
