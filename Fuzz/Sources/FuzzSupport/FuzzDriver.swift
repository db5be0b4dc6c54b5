// Starts libFuzzer from a target's own main(): SwiftPM renames an executable's entry point
// (`<Target>_main`, aliased to main at link time), so libFuzzer's main() cannot be used as with
// `swiftc -parse-as-library`. LLVMFuzzerRunDriver is libFuzzer's documented entry for this case.
import Foundation

public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> CInt

/// Runs libFuzzer with this process's arguments and `callback`; never returns.
public func runFuzzer(_ callback: FuzzCallback) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}
