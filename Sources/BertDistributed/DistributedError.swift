/// What went wrong in a data-parallel run, with the rank that saw it.
public enum DistributedError: Error, CustomStringConvertible, Equatable {
    /// An MPI call returned an error code.
    case mpi(call: String, code: Int32, message: String)
    /// Open MPI cannot give the thread support the reducer needs.
    case threadSupport(required: String, provided: Int32)
    /// The processes disagree on the run (settings, data, resumed step): the differing ranks.
    case mismatch(rank: Int, differing: [Int], detail: String)
    /// A setting that cannot work (e.g. bucket size ≤ 0).
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .mpi(call, code, message): "\(call) failed (MPI error \(code)): \(message)"
        case let .threadSupport(required, provided):
            "the MPI library gives thread level \(provided), the reducer needs \(required)"
        case let .mismatch(rank, differing, detail):
            "rank \(rank): the processes do not run the same job — ranks \(differing.map(String.init).joined(separator: ", ")) differ from rank 0 (\(detail)); give every process the same flags, data and output directory"
        case let .invalidSetting(text): text
        }
    }
}
