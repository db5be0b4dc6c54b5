import Foundation

/// Runs the package's executables under `mpirun` for the MPI tests, and the tiny pretraining
/// data they train on. Without `mpirun` on PATH (a machine without `openmpi-bin`) the tests
/// are skipped with that message; CI installs Open MPI, so they run there.
enum MPITest {
    /// `mpirun` on PATH, or nil.
    static let mpirun: URL? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let url = URL(fileURLWithPath: String(directory)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()
    static let available = mpirun != nil
    static let skipMessage = "mpirun not found on PATH: install Open MPI (apt-get install libopenmpi-dev openmpi-bin) to run the MPI tests"

    /// The directory of the built products (bert, MPIProbe), next to the test bundle.
    static var products: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String; var seconds: Double }

    /// `mpirun --oversubscribe --allow-run-as-root -np N program arguments` (a 2-core machine, root in CI).
    static func mpiArguments(_ processes: Int, _ program: String, _ arguments: [String]) -> [String] {
        ["--oversubscribe", "--allow-run-as-root", "-np", "\(processes)", products.appendingPathComponent(program).path] + arguments
    }

    static func process(_ executable: URL, _ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // Containers often forbid the cross-memory-attach copy Open MPI's shared-memory transport tries first.
        environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
        environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        process.environment = environment
        return process
    }

    /// Runs to the end, capturing both streams.
    static func run(_ executable: URL, _ arguments: [String]) throws -> Run {
        let process = process(executable, arguments)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mpi-out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("mpi-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let started = Date()
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                   stderr: try String(contentsOf: err, encoding: .utf8), seconds: Date().timeIntervalSince(started))
    }

    static func mpi(_ processes: Int, _ program: String, _ arguments: [String]) throws -> Run {
        try run(mpirun!, mpiArguments(processes, program, arguments))
    }

    static func bert(_ arguments: [String]) throws -> Run {
        try run(products.appendingPathComponent("bert"), arguments)
    }

    /// The pids of `parent`'s children whose environment has `OMPI_COMM_WORLD_RANK=rank`.
    static func child(of parent: Int32, rank: Int) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in entries {
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent,
                  let environ = FileManager.default.contents(atPath: "/proc/\(name)/environ") else { continue }
            let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if variables.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
        }
        return nil
    }

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
