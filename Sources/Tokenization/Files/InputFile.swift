import Foundation

/// Opens and reads input files only when they are regular files (symbolic links followed).
///
/// `Data(contentsOf:)` on a FIFO waits forever for a writer, and on a character device such as
/// `/dev/zero` reads without end; a model, vocabulary or data path must never do either. Files
/// are opened non-blocking (opening a FIFO returns at once) and their type is checked on the open
/// descriptor, so nothing can be swapped in between a check and the read; errors carry the
/// system's explanation (not a Foundation error code).
///
/// ```swift
/// let data = try InputFile.read(url)            // throws InputFile.Failure naming the path
/// ```
package enum InputFile {
    /// Why a file could not be read: `reason` is "is a FIFO, not a regular file", "no such file or directory", ….
    package struct Failure: Error, Sendable {
        package var path: String
        package var reason: String
    }

    /// Nil when `path` is a regular file, else what it is ("is a FIFO, …", "is a directory, …")
    /// or why it cannot be inspected. For listing candidates; to read, use ``openRegular(_:)``.
    package static func irregularity(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return String(cString: strerror(errno)).lowercased() }
        return irregularity(mode: status.st_mode)
    }

    static func irregularity(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, not a regular file"
        case S_IFIFO: return "is a FIFO, not a regular file"
        case S_IFCHR: return "is a character device, not a regular file"
        case S_IFBLK: return "is a block device, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "is not a regular file"
        }
    }

    /// A read-only descriptor of `path` (close-on-exec) and the file's size, when it is a regular
    /// file. The caller closes the descriptor.
    package static func openRegular(_ path: String) throws(Failure) -> (descriptor: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            close(fd)
            throw Failure(path: path, reason: reason)
        }
        if let problem = irregularity(mode: status.st_mode) {
            close(fd)
            throw Failure(path: path, reason: problem)
        }
        return (fd, Int(status.st_size))
    }

    /// The bytes of `url`, a regular file (anything else is refused without being read).
    package static func read(_ url: URL) throws(Failure) -> Data {
        let (fd, size) = try openRegular(url.path)
        defer { close(fd) }
        guard let data = readFully(fd, size) else {
            throw Failure(path: url.path, reason: String(cString: strerror(errno)).lowercased())
        }
        return data
    }
}

/// Up to `size` bytes from `fd` (fewer if the file shrank meanwhile); nil on a read error, errno set.
/// Outside ``InputFile`` so that `read` is the system call, not ``InputFile/read(_:)``.
private func readFully(_ fd: Int32, _ size: Int) -> Data? {
    var data = Data(count: size)
    var filled = 0
    while filled < size {
        let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, size - filled) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { break }
        filled += n
    }
    if filled < size { data.removeSubrange(filled...) }
    return data
}
