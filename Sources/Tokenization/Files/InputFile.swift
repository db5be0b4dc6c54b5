import Foundation

/// Reads a whole input file after checking it is a regular file (symbolic links followed).
///
/// `Data(contentsOf:)` on a FIFO waits forever for a writer, and on a character device such as
/// `/dev/zero` reads without end; a model or vocabulary path must never do either. The check
/// runs before the file is opened, and errors carry the system's explanation (not a Foundation
/// error code).
///
/// ```swift
/// let data = try InputFile.read(url)            // throws InputFile.Failure naming the path
/// ```
package enum InputFile {
    /// Why a file could not be read: `reason` is "not a regular file (a FIFO)", "no such file", ….
    package struct Failure: Error, Sendable {
        package var path: String
        package var reason: String
    }

    /// Nil when `path` is a regular file, else what it is ("a FIFO", "a directory", …) or why
    /// it cannot be inspected.
    package static func irregularity(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return String(cString: strerror(errno)).lowercased() }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, not a regular file"
        case S_IFIFO: return "is a FIFO, not a regular file"
        case S_IFCHR: return "is a character device, not a regular file"
        case S_IFBLK: return "is a block device, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "is not a regular file"
        }
    }

    /// The bytes of `url`, refused before opening when it is not a regular file.
    package static func read(_ url: URL) throws(Failure) -> Data {
        if let problem = irregularity(url.path) { throw Failure(path: url.path, reason: problem) }
        // Foundation's Data(contentsOf:) leaks its 4 KB read buffer on an empty file (seen by
        // LeakSanitizer under the fuzz targets), so an empty regular file is answered here.
        var status = stat()
        if stat(url.path, &status) == 0 && status.st_size == 0 { return Data() }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw Failure(path: url.path, reason: Vocabulary.reason(error))
        }
    }
}
