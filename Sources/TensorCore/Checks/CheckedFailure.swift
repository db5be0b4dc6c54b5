/// Programmer-error checks whose message survives release builds.
///
/// `precondition(_:_:)` drops its message under `-O` (the process dies with an illegal
/// instruction and nothing on stderr), so a shape mismatch in `matmul` would tell the person
/// running a release build nothing. `check` costs the same on the hot path — the condition is
/// inlined, the message is an autoclosure built only on failure — and on failure prints
/// `file:line: Fatal error: <message>` to stderr in every build configuration, then traps.
///
/// These are for bugs in the calling code (wrong shapes, out-of-range axes). Input from outside
/// (files, configs, flags) gets a typed error instead, never a trap.
///
/// ```swift
/// check(k == k2, "matmul: inner dimensions differ for shapes \(shape) and \(other.shape)")
/// ```
///
/// `package` access: TensorCore and BertKit use it; users of the library do not see it.
@inlinable @inline(__always)
package func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                   file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition()) { checkFailure(message(), file: file, line: line) }
}

/// Stops the process with `message` on stderr in every build configuration (the release-build
/// counterpart of `preconditionFailure`). See `check(_:_:file:line:)`.
@inline(never) @usableFromInline
package func checkFailure(_ message: @autoclosure () -> String,
                          file: StaticString = #fileID, line: UInt = #line) -> Never {
    // fatalError keeps its message under -O (precondition does not).
    fatalError(message(), file: file, line: line)
}
