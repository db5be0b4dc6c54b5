import CMPI
import Foundation

/// The MPI library of this process: initialised once, only when the process was started by a
/// launcher (`mpirun`/`mpiexec`, which set `OMPI_COMM_WORLD_SIZE`, `PMIX_RANK` or `PMI_SIZE`).
/// A process started on its own never touches MPI, so `bert pretrain` without `mpirun`
/// behaves exactly as a build without MPI.
///
/// ```swift
/// if let mpi = try MPIRuntime.startIfLaunched(), mpi.worldSize > 1 {
///     let reducer = try MPIGradientReducer(parameters: model.parameters(), runtime: mpi)
///     trainer.reducer = reducer
/// }
/// ```
public final class MPIRuntime: @unchecked Sendable {
    /// This process's rank in `MPI_COMM_WORLD`.
    public let rank: Int
    /// Number of processes in `MPI_COMM_WORLD`.
    public let worldSize: Int
    /// The thread level Open MPI provided (at least `MPI_THREAD_SERIALIZED`).
    public let threadLevel: Int32
    let comm: MPI_Comm

    nonisolated(unsafe) private static var started: MPIRuntime?
    private static let lock = NSLock()

    /// True when a launcher started this process (its environment names a world size or rank).
    public static var isLaunched: Bool {
        let env = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"].contains { env[$0] != nil }
    }

    /// The runtime ``startIfLaunched()`` started, nil before or without a launcher.
    public static var current: MPIRuntime? {
        lock.lock()
        defer { lock.unlock() }
        return started
    }

    /// Initialises MPI (`MPI_Init_thread`, serialized: the reducer calls MPI from the thread that
    /// runs backward, one call at a time) when launched by `mpirun`; nil otherwise. Repeated
    /// calls return the same runtime.
    public static func startIfLaunched() throws -> MPIRuntime? {
        lock.lock()
        defer { lock.unlock() }
        if let started { return started }
        guard isLaunched else { return nil }
        var provided: Int32 = 0
        try MPIRuntime.check(MPI_Init_thread(nil, nil, cmpi_thread_serialized(), &provided), "MPI_Init_thread")
        guard provided >= cmpi_thread_serialized() else {
            MPI_Finalize()
            throw DistributedError.threadSupport(required: "MPI_THREAD_SERIALIZED", provided: provided)
        }
        var rank: Int32 = 0, size: Int32 = 0
        try check(MPI_Comm_rank(cmpi_comm_world(), &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(cmpi_comm_world(), &size), "MPI_Comm_size")
        let runtime = MPIRuntime(rank: Int(rank), worldSize: Int(size), threadLevel: provided, comm: cmpi_comm_world())
        started = runtime
        return runtime
    }

    private init(rank: Int, worldSize: Int, threadLevel: Int32, comm: MPI_Comm) {
        self.rank = rank
        self.worldSize = worldSize
        self.threadLevel = threadLevel
        self.comm = comm
    }

    /// Ends MPI after a successful run (every process must call it).
    public func finish() {
        MPI_Finalize()
    }

    /// Stops every process of the job (`MPI_Abort`) after printing `message` with this rank:
    /// the way out when one process fails, so the others do not wait forever in a collective.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("rank \(rank) of \(worldSize): \(message) — stopping all processes\n".utf8))
        MPI_Abort(comm, code)
        exit(code)
    }

    /// Throws ``DistributedError/mpi(call:code:message:)`` unless `code` is `MPI_SUCCESS`.
    static func check(_ code: Int32, _ call: String) throws {
        guard code != cmpi_success() else { return }
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &buffer, &length)
        throw DistributedError.mpi(call: call, code: code, message: String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
