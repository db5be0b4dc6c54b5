// The fuzz input as a file (the readers under test take paths): written to /dev/shm, one file per
// target and process, overwritten by every input.
import Foundation

/// Writes `size` bytes at `data` to `/dev/shm/fuzz-<name>-<pid>.<ext>` and returns its path (nil
/// when the file cannot be written).
public func scratchFile(_ name: String, ext: String, _ data: UnsafePointer<UInt8>, _ size: Int) -> String? {
    let path = "/dev/shm/fuzz-\(name)-\(getpid()).\(ext)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return write(fd, data, size) == size ? path : nil
}

/// The bert-base-uncased vocabulary the tokenizer targets use (FUZZ_VOCAB, set by Scripts/fuzz.sh).
public func fuzzVocabularyPath() -> String {
    ProcessInfo.processInfo.environment["FUZZ_VOCAB"] ?? "Tests/TokenizationTests/Fixtures/vocab-uncased.txt"
}

/// The vocabulary of the pretraining fixtures (FUZZ_PRETRAINING_VOCAB, set by Scripts/fuzz.sh), which
/// the seed instance files use.
public func fuzzPretrainingVocabularyPath() -> String {
    ProcessInfo.processInfo.environment["FUZZ_PRETRAINING_VOCAB"] ?? "Tests/BertKitTests/Fixtures/pretraining/vocab.txt"
}
