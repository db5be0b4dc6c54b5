import BertKit
import CMPI
import Foundation
import TensorCore

/// Sums gradients over the processes of an MPI job in buckets of about 25 MB, started from
/// ``Parameter/onGradientFinal`` while backward still runs, so communication overlaps the rest
/// of backward (`MPI_Iallreduce`, progressed by `MPI_Testall` from each hook; every MPI call is
/// made from the thread that runs backward).
///
/// Buckets are filled in the order gradients become final: the first step uses reverse
/// registration order, then rank 0's observed order is broadcast and the buckets rebuilt (the
/// same on every process — MPI needs the collectives in the same order everywhere). Bucket k
/// starts once all its gradients are in and buckets 0..<k have started; what never arrived
/// (a parameter this process's backward did not reach) is sent as zeros at the end.
///
/// ```swift
/// guard let mpi = try MPIRuntime.startIfLaunched(), mpi.worldSize > 1 else { return }
/// trainer.reducer = try MPIGradientReducer(parameters: model.parameters(), runtime: mpi)
/// ```
public final class MPIGradientReducer: GradientReducer {
    public let runtime: MPIRuntime
    public let parameters: [Parameter]
    /// Bucket size in float elements.
    public let bucketCapacity: Int
    /// False: reduce every bucket only after backward (blocking), to measure communication alone.
    public var overlap = true
    public private(set) var statistics = ReductionStatistics()

    private let sizes: [Int]
    private var buckets: [GradientBucket]
    /// Bucket and member position of each parameter.
    private var location: [(bucket: Int, member: Int)] = []
    private var arrived: [Bool]
    private var arrivalOrder: [Int] = []
    private var orderSettled = false
    private var armed = false
    private var nextLaunch = 0
    private var inFlight: [MPI_Request?] = []
    private var began = Date()

    public var rank: Int { runtime.rank }
    public var worldSize: Int { runtime.worldSize }

    /// - Parameters:
    ///   - parameters: the model's parameters (each once; tied ones once), e.g. `model.parameters()`.
    ///     Their `onGradientFinal` hooks are replaced.
    ///   - bucketBytes: bytes of gradient per bucket (default 25 MB, as PyTorch DDP).
    public init(parameters: [Parameter], runtime: MPIRuntime, bucketBytes: Int = 25 * 1024 * 1024) throws {
        guard bucketBytes >= MemoryLayout<Float>.size else {
            throw DistributedError.invalidSetting("the bucket size must be at least 4 bytes, got \(bucketBytes)")
        }
        self.runtime = runtime
        self.parameters = parameters.filter(\.requiresGrad)
        bucketCapacity = bucketBytes / MemoryLayout<Float>.size
        sizes = self.parameters.map { $0.value.count }
        arrived = Array(repeating: false, count: sizes.count)
        buckets = []
        rebuild(order: Array(self.parameters.indices.reversed()))
        for (index, p) in self.parameters.enumerated() {
            p.onGradientFinal = { [unowned self] _ in self.gradientIsFinal(index) }
        }
    }

    deinit {
        for p in parameters { p.onGradientFinal = nil }
    }

    /// Number of buckets.
    public var bucketCount: Int { buckets.count }

    private func rebuild(order: [Int]) {
        buckets = GradientBucket.plan(order: order, sizes: sizes, capacity: bucketCapacity)
        location = Array(repeating: (0, 0), count: sizes.count)
        for (b, bucket) in buckets.enumerated() {
            for (m, index) in bucket.members.enumerated() { location[index] = (b, m) }
        }
        statistics.bucketsPerStep = buckets.count
        statistics.bytesPerStep = sizes.reduce(0, +) * MemoryLayout<Float>.size
    }

    public func sum(_ values: [Double]) throws -> [Double] { try runtime.sum(values) }

    public func beginReduction() {
        armed = true
        began = Date()
    }

    /// The hook: copies the final gradient into its bucket and starts every bucket that is ready.
    private func gradientIsFinal(_ index: Int) {
        guard armed, !arrived[index] else { return }
        let started = Date()
        let (b, m) = location[index]
        let bucket = buckets[b]
        let destination = bucket.buffer + bucket.offsets[m]
        let count = sizes[index]
        if let grad = parameters[index].grad {
            grad.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: count) }
            bucket.flag(m).pointee = 1
        } else {
            destination.update(repeating: 0, count: count)
            bucket.flag(m).pointee = 0
        }
        arrived[index] = true
        arrivalOrder.append(index)
        bucket.pending -= 1
        if overlap {
            do {
                try launchReady()
                _ = try runtime.test(&inFlight)
            } catch {
                runtime.abort("gradient reduction failed: \(error)")
            }
        }
        statistics.hookSeconds += Date().timeIntervalSince(started)
    }

    /// Starts buckets in order while the next one is complete.
    private func launchReady() throws {
        while nextLaunch < buckets.count && buckets[nextLaunch].pending == 0 {
            let bucket = buckets[nextLaunch]
            inFlight.append(try runtime.startSum(bucket.buffer, count: bucket.count))
            statistics.bucketsStartedDuringBackward += armed ? 1 : 0
            nextLaunch += 1
        }
    }

    public func finishReduction() throws {
        let finished = Date()
        statistics.backwardSeconds += finished.timeIntervalSince(began)
        armed = false
        // Gradients this process never produced: zeros, flag 0.
        for index in arrived.indices where !arrived[index] {
            let (b, m) = location[index]
            let bucket = buckets[b]
            (bucket.buffer + bucket.offsets[m]).update(repeating: 0, count: sizes[index])
            bucket.flag(m).pointee = 0
            bucket.pending -= 1
        }
        if overlap {
            try launchReady()
            try runtime.wait(&inFlight)
        } else {
            for bucket in buckets { try runtime.sumInPlace(bucket.buffer, count: bucket.count) }
        }
        inFlight.removeAll(keepingCapacity: true)
        for bucket in buckets {
            for (m, index) in bucket.members.enumerated() where bucket.flag(m).pointee > 0 {
                let source = UnsafeBufferPointer(start: bucket.buffer + bucket.offsets[m], count: sizes[index])
                let p = parameters[index]
                if p.grad == nil {
                    p.grad = Tensor(Array(source), shape: p.shape)
                } else {
                    p.grad!.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source.baseAddress!, count: source.count) }
                }
            }
            bucket.pending = bucket.members.count
        }
        nextLaunch = 0
        arrived = Array(repeating: false, count: sizes.count)
        statistics.steps += 1
        statistics.waitSeconds += Date().timeIntervalSince(finished)
        if !orderSettled { try settleOrder() }
    }

    /// After the first step: every process adopts rank 0's observed gradient order for its buckets.
    private func settleOrder() throws {
        orderSettled = true
        let seen = Set(arrivalOrder)
        let order = arrivalOrder + parameters.indices.reversed().filter { !seen.contains($0) }
        let shared = try runtime.broadcast(order.map { UInt64($0) }).map { Int($0) }
        arrivalOrder = []
        guard Set(shared) == Set(parameters.indices), shared.count == parameters.count else {
            throw DistributedError.mismatch(rank: rank, differing: [], detail: "rank 0 has another parameter list")
        }
        rebuild(order: shared)
    }
}
