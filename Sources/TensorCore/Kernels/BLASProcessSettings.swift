import Foundation

extension TensorCore {
    /// Set in the environment of a process that must not be restarted by
    /// ``configureBLASForThisProcess()`` (it is also set on the restart itself, so that it never loops).
    public static let keepBLASSettingsVariable = "BERT_KEEP_BLAS_CORE"

    /// Environment variables that tell a process it was started by an MPI launcher.
    public static let mpiLauncherVariables = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MV2_COMM_WORLD_SIZE"]

    /// The OpenBLAS variables ``configureBLASForThisProcess()`` would add to `environment`
    /// (empty: nothing to do, no restart). A pure function of its arguments:
    ///
    /// - nothing when ``keepBLASSettingsVariable`` is set, or under an MPI launcher (one of
    ///   ``mpiLauncherVariables`` is set: export the variables in the launch command instead);
    /// - `OPENBLAS_CORETYPE` = `suggestedCoreType` when the variable is unset and a core type is
    ///   suggested (see ``suggestedBLASCoreType``);
    /// - `OPENBLAS_THREAD_TIMEOUT` = `4` when unset: idle OpenBLAS threads then sleep after about
    ///   2^4 cycles instead of spinning against the kernels that run between gemms.
    ///
    /// A variable that is already set, to anything, is never changed.
    /// ```swift
    /// TensorCore.recommendedBLASEnvironment(for: [:], suggestedCoreType: nil)
    /// // ["OPENBLAS_THREAD_TIMEOUT": "4"]
    /// ```
    public static func recommendedBLASEnvironment(for environment: [String: String], suggestedCoreType: String?)
        -> [String: String]
    {
        guard environment[keepBLASSettingsVariable] == nil else { return [:] }
        guard !mpiLauncherVariables.contains(where: { environment[$0] != nil }) else { return [:] }
        var changes: [String: String] = [:]
        if environment["OPENBLAS_CORETYPE"] == nil, let core = suggestedCoreType { changes["OPENBLAS_CORETYPE"] = core }
        if environment["OPENBLAS_THREAD_TIMEOUT"] == nil { changes["OPENBLAS_THREAD_TIMEOUT"] = "4" }
        return changes
    }

    /// Gives this process the OpenBLAS settings that suit gemm-bound work, by restarting it once.
    ///
    /// OpenBLAS reads `OPENBLAS_CORETYPE` and `OPENBLAS_THREAD_TIMEOUT` only when it is loaded,
    /// which is before `main` runs, so a program cannot set them for itself: this function adds
    /// what ``recommendedBLASEnvironment(for:suggestedCoreType:)`` returns to the environment
    /// and re-executes the same binary (`/proc/self/exe`) with the same arguments. The restarted
    /// process finds the variables set and returns at once. Read the result afterwards with
    /// ``blasCoreName`` and ``blasThreads``.
    /// ```swift
    /// import TensorCore
    ///
    /// TensorCore.configureBLASForThisProcess()   // the first statement of main
    /// print(TensorCore.blasCoreName)              // e.g. "SkylakeX"
    /// ```
    /// Caveats:
    /// - **It restarts the program**: call it as the first statement of `main`, before reading
    ///   standard input, opening files, starting threads or printing (everything done before it
    ///   is done twice, and data already read from a pipe is lost). Never call it from a library.
    /// - It returns without restarting when there is nothing to change, when
    ///   ``keepBLASSettingsVariable`` is set (set it to opt out), under an MPI launcher (export
    ///   the variables with the launch command instead), off Linux, or when the exec fails (no
    ///   `/proc`): then the process simply goes on with the settings it has.
    /// - `argv[0]` need not name the binary (the exec uses `/proc/self/exe`); the restarted
    ///   process sees the same `CommandLine.arguments` and the same process id.
    public static func configureBLASForThisProcess() {
        #if os(Linux)
        let changes = recommendedBLASEnvironment(for: ProcessInfo.processInfo.environment,
                                                 suggestedCoreType: suggestedBLASCoreType)
        guard !changes.isEmpty else { return }
        for (name, value) in changes { setenv(name, value, 1) }
        setenv(keepBLASSettingsVariable, "1", 1)  // never loop
        var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", argv)
        for p in argv { free(p) }  // only reached when execv failed: go on as we are
        #endif
    }
}
