import CMPI

/// The collectives the data-parallel pieces use, over `MPI_COMM_WORLD`. Each must be called
/// by every process, in the same order.
///
/// ```swift
/// let totals = try mpi.sum([Double(myTokens), myLoss])   // same result on every rank
/// ```
extension MPIRuntime {
    /// Element-wise sum over all processes (`MPI_Allreduce`, `MPI_SUM`, in place).
    public func sum(_ values: [Double]) throws -> [Double] {
        var out = values
        let count = Int32(out.count)
        try out.withUnsafeMutableBufferPointer { buffer in
            try MPIRuntime.check(MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, count, cmpi_double(), cmpi_sum(), comm),
                                 "MPI_Allreduce")
        }
        return out
    }

    /// Element-wise sum over all processes of `count` floats at `pointer`, in place (blocking).
    public func sumInPlace(_ pointer: UnsafeMutablePointer<Float>, count: Int) throws {
        try MPIRuntime.check(MPI_Allreduce(cmpi_in_place(), pointer, Int32(count), cmpi_float(), cmpi_sum(), comm),
                             "MPI_Allreduce")
    }

    /// Overwrites `count` floats at `pointer` with rank `root`'s (`MPI_Bcast`).
    public func broadcast(_ pointer: UnsafeMutablePointer<Float>, count: Int, root: Int = 0) throws {
        var start = 0
        while start < count {  // MPI counts are 32-bit
            let n = min(count - start, Int(Int32.max))
            try MPIRuntime.check(MPI_Bcast(pointer + start, Int32(n), cmpi_float(), Int32(root), comm), "MPI_Bcast")
            start += n
        }
    }

    /// Rank `root`'s integers on every process (`MPI_Bcast`; every process passes the same count).
    public func broadcast(_ values: [UInt64], root: Int = 0) throws -> [UInt64] {
        var out = values
        let count = Int32(out.count)
        try out.withUnsafeMutableBufferPointer { buffer in
            try MPIRuntime.check(MPI_Bcast(buffer.baseAddress, count, cmpi_uint64(), Int32(root), comm), "MPI_Bcast")
        }
        return out
    }

    /// Every process's value, by rank (`MPI_Allgather`).
    public func allGather(_ value: UInt64) throws -> [UInt64] {
        var mine = value
        var all = [UInt64](repeating: 0, count: worldSize)
        try all.withUnsafeMutableBufferPointer { buffer in
            try MPIRuntime.check(MPI_Allgather(&mine, 1, cmpi_uint64(), buffer.baseAddress, 1, cmpi_uint64(), comm),
                                 "MPI_Allgather")
        }
        return all
    }

    /// Starts a non-blocking in-place sum of `count` floats at `pointer` (`MPI_Iallreduce`); the
    /// memory must stay valid and untouched until the request completes.
    func startSum(_ pointer: UnsafeMutablePointer<Float>, count: Int) throws -> MPI_Request? {
        var request = cmpi_request_null()
        try MPIRuntime.check(MPI_Iallreduce(cmpi_in_place(), pointer, Int32(count), cmpi_float(), cmpi_sum(), comm,
                                            &request), "MPI_Iallreduce")
        return request
    }

    /// Lets MPI progress `requests` (`MPI_Testall`); true when all have completed (they are
    /// then set to `MPI_REQUEST_NULL`).
    func test(_ requests: inout [MPI_Request?]) throws -> Bool {
        guard !requests.isEmpty else { return true }
        var flag: Int32 = 0
        let count = Int32(requests.count)
        try requests.withUnsafeMutableBufferPointer { buffer in
            try MPIRuntime.check(MPI_Testall(count, buffer.baseAddress, &flag, cmpi_statuses_ignore()), "MPI_Testall")
        }
        return flag != 0
    }

    /// Blocks until every request has completed (`MPI_Waitall`).
    func wait(_ requests: inout [MPI_Request?]) throws {
        guard !requests.isEmpty else { return }
        let count = Int32(requests.count)
        try requests.withUnsafeMutableBufferPointer { buffer in
            try MPIRuntime.check(MPI_Waitall(count, buffer.baseAddress, cmpi_statuses_ignore()), "MPI_Waitall")
        }
    }

    /// Waits until every process has reached this point (`MPI_Barrier`).
    public func barrier() throws {
        try MPIRuntime.check(MPI_Barrier(comm), "MPI_Barrier")
    }
}
