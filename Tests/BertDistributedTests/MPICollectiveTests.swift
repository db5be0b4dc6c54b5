import Foundation
import Testing

/// The MPI pieces under `mpirun -np 2` (the `MPIProbe` helper checks each rank's results):
/// bucketed allreduce from the gradient-final hook equals the plain sum, weight broadcast,
/// and a differing run fingerprint refused on every rank.
@Suite(.serialized, .enabled(if: MPITest.available, Comment(rawValue: MPITest.skipMessage)))
struct MPICollectiveTests {
    func probe(_ check: String, processes: Int = 2) throws -> MPITest.Run {
        try MPITest.mpi(processes, "MPIProbe", [check])
    }

    @Test func bucketedAllreduceEqualsThePlainSum() throws {
        for processes in [2, 3] {
            let run = try probe("sum", processes: processes)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.components(separatedBy: "OK sum").count - 1 == processes, "\(run.stdout)")
        }
    }

    @Test func synchronizeBroadcastsRankZerosWeights() throws {
        let run = try probe("broadcast")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("OK broadcast rank 0") && run.stdout.contains("OK broadcast rank 1"), "\(run.stdout)")
    }

    @Test func differingFingerprintIsRefusedOnEveryRank() throws {
        let run = try probe("mismatch")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.components(separatedBy: "OK mismatch").count - 1 == 2, "\(run.stdout)")
        #expect(run.stderr.contains("rank 0 has seed=42, rank 1 has seed=7"), "\(run.stderr)")
    }
}
