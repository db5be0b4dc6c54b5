import Foundation
import Tokenization

/// The input files of a corpus: each path is a file, or a directory whose regular files (all
/// levels, hidden ones skipped) are taken in sorted path order.
///
/// ```swift
/// let files = try CorpusFiles.expand(["wiki/", "books.txt"])
/// files.map(\.path); files.map(\.size)
/// ```
public enum CorpusFiles {
    /// One input file and its size in bytes (for progress and ETA).
    public struct File: Sendable, Hashable {
        public var path: String
        public var size: Int
    }

    /// Expands files and directories, in the order given.
    /// - Throws: ``PretrainingError/unreadableInput(path:reason:)`` for a path that does not
    ///   exist or cannot be listed.
    public static func expand(_ paths: [String]) throws -> [File] {
        let manager = FileManager.default
        var files: [File] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw PretrainingError.unreadableInput(path: path, reason: "no such file or directory")
            }
            if !isDirectory.boolValue {
                // A FIFO or device would block or never end: refused before it is opened.
                if let problem = InputFile.irregularity(path) { throw PretrainingError.unreadableInput(path: path, reason: problem) }
                files.append(File(path: path, size: size(of: path)))
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else {
                throw PretrainingError.unreadableInput(path: path, reason: "cannot list directory")
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { enumerator.skipDescendants(); continue }
                let full = (path as NSString).appendingPathComponent(relative)
                // Regular files only: subdirectories are walked, FIFOs, sockets and devices are not text files.
                if InputFile.irregularity(full) == nil { found.append(full) }
            }
            for full in found.sorted() { files.append(File(path: full, size: size(of: full))) }
        }
        return files
    }

    static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
