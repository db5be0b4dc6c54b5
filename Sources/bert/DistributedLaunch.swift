import BertDistributed
import BertKit
import Foundation
import TensorCore

/// `mpirun -np N bert pretrain …`: MPI is started only when a launcher started the process
/// (see `MPIRuntime.isLaunched`); with one process, or without `mpirun`, nothing changes.
enum DistributedLaunch {
    /// Runs `body` with the MPI runtime (nil without `mpirun`). With several processes an error
    /// in any of them prints "rank r of N: …" and stops the whole job (`MPI_Abort`), so no
    /// process waits forever in a collective; on success MPI is finalised.
    static func run(_ body: (MPIRuntime?) throws -> Void) throws {
        let mpi: MPIRuntime?
        do {
            mpi = try MPIRuntime.startIfLaunched()
        } catch {
            throw TrainingError.invalidSetting("cannot start MPI: \(error)")
        }
        guard let mpi, mpi.worldSize > 1 else {
            try body(mpi)
            mpi?.finish()
            return
        }
        do {
            try body(mpi)
        } catch {
            mpi.abort("\(error)")
        }
        mpi.finish()
    }

    /// Writes `message` (and a newline) to standard error once per job: under `mpirun` only
    /// rank 0 writes it (the same load warning from every process says nothing more).
    static func warn(_ message: String) {
        guard (MPIRuntime.current?.rank ?? 0) == 0 else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// The reducer of a run over `mpi` with several processes (nil otherwise). The bucket size
    /// is 25 MB unless `BERT_MPI_BUCKET_MB` says otherwise; `BERT_MPI_OVERLAP=0` reduces only
    /// after backward (to measure the communication time alone).
    static func reducer(_ mpi: MPIRuntime?, model: any Module) throws -> MPIGradientReducer? {
        guard let mpi, mpi.worldSize > 1 else { return nil }
        var bytes = 25 * 1024 * 1024
        if let text = ProcessInfo.processInfo.environment["BERT_MPI_BUCKET_MB"] {
            guard let mb = Double(text), mb > 0 else {
                throw TrainingError.invalidSetting("BERT_MPI_BUCKET_MB must be a positive number, got \(text)")
            }
            bytes = max(4, Int(mb * 1024 * 1024))
        }
        let reducer = try MPIGradientReducer(parameters: model.parameters(), runtime: mpi, bucketBytes: bytes)
        reducer.overlap = ProcessInfo.processInfo.environment["BERT_MPI_OVERLAP"] != "0"
        return reducer
    }
}
