#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Tokenization

/// Reads a file line by line in fixed-size blocks (bounded memory), as Python's `readline` on a
/// file opened with `newline="\n"`: lines end at "\n" only; the terminator is not part of the
/// line. Bytes are not decoded here (see ``PythonText``).
///
/// A line longer than `maxLineBytes` is cut into pieces of that size (when set), so one giant
/// line (a binary file without newlines) cannot exhaust memory.
///
/// ```swift
/// var reader = try LineReader(path: "corpus.txt")
/// while let line = try reader.nextLine() { line.count }   // [UInt8] without "\n"
/// ```
public struct LineReader: ~Copyable {
    private let descriptor: Int32
    public let path: String
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEOF = false
    private let blockSize: Int
    private let maxLineBytes: Int?
    /// Bytes consumed from the file so far.
    public private(set) var bytesRead = 0

    /// - Throws: ``PretrainingError/unreadableInput(path:reason:)`` when the file cannot be opened.
    public init(path: String, blockSize: Int = 1 << 22, maxLineBytes: Int? = nil) throws {
        let fd: Int32
        do { fd = try InputFile.openRegular(path).descriptor } catch {
            throw PretrainingError.unreadableInput(path: path, reason: error.reason)
        }
        descriptor = fd
        self.path = path
        self.blockSize = blockSize
        self.maxLineBytes = maxLineBytes
        buffer = [UInt8](repeating: 0, count: blockSize)
    }

    deinit { close(descriptor) }

    /// The next line (without "\n"), or nil at the end of the file. A final line without "\n" is
    /// returned too; an empty file has no lines.
    public mutating func nextLine() throws -> [UInt8]? {
        while true {
            let limit = maxLineBytes.map { min(end, start + $0) } ?? end
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                var k = start
                while k < limit { if bytes[k] == 0x0A { return k }; k += 1 }
                return nil
            }
            if let newline = found {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return line
            }
            if let maxLine = maxLineBytes, end - start >= maxLine {
                let line = Array(buffer[start..<(start + maxLine)])
                start += maxLine
                return line
            }
            if atEOF {
                if start < end { let line = Array(buffer[start..<end]); start = end; return line }
                return nil
            }
            try fill()
        }
    }

    /// Moves the unread bytes to the front, grows the buffer when a line fills it, then reads.
    private mutating func fill() throws {
        if start > 0 {
            let count = end - start
            buffer.withUnsafeMutableBufferPointer { b in
                _ = memmove(b.baseAddress!, b.baseAddress! + start, count)
            }
            start = 0; end = count
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: max(blockSize, buffer.count))) }
        let n = buffer.withUnsafeMutableBufferPointer { b -> Int in
            while true {
                let r = read(descriptor, b.baseAddress! + end, b.count - end)
                if r < 0 && errno == EINTR { continue }
                return r
            }
        }
        if n < 0 { throw PretrainingError.unreadableInput(path: path, reason: String(cString: strerror(errno))) }
        if n == 0 { atEOF = true }
        end += n
        bytesRead += n
    }
}
