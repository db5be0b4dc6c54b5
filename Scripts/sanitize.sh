#!/usr/bin/env bash
# Runs the test suite (or a --filter subset) under sanitizers, each in its own build directory
# so the normal .build is untouched.
#
#   bash Scripts/sanitize.sh address [FILTER]   # ASan on Swift and C, UBSan on the C kernels
#   bash Scripts/sanitize.sh thread  [FILTER]   # TSan on Swift (C kernels uninstrumented)
#
# FILTER is a `swift test --filter` regex (default: every test). Release builds (-c release):
# the numeric tests are too slow in debug, and more so under a sanitizer.
#
# Pitfalls this script handles:
# - UBSan is C-only here (swiftc has no -sanitize=undefined checks of its own): the C kernels get
#   -fsanitize=undefined through -Xcc with -fno-sanitize-recover, so a report fails the run
#   (`swiftc -sanitize=undefined` is refused on Linux). The UBSan handlers come with the ASan
#   runtime that -sanitize=address links, so no extra library is needed.
# - TSan: the C kernels' target_clones resolvers (ifuncs) run while the dynamic loader relocates,
#   before the TSan runtime is initialised; instrumenting them crashes at start-up. So only Swift
#   is instrumented (C kernels are leaf loops called from Swift threads; the Swift side that splits
#   the work is what TSan watches). TSan also needs the address space without ASLR on this
#   kernel (else it reports nothing or fails to map its shadow): the run goes through
#   `setarch $(uname -m) -R`.
# - ASan's leak checker is off (detect_leaks=0): the test harness and OpenBLAS keep
#   process-lifetime allocations that are not leaks of ours.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?usage: Scripts/sanitize.sh address|thread [FILTER]}
FILTER=${2:-}
export PATH=/opt/swift/usr/bin:$PATH
source Scripts/setup.sh >/dev/null
[ -n "${BERT_MINILM_DIR:-}" ] || bash Scripts/fetch_minilm.sh >/dev/null
args=(-c release)
[ -n "$FILTER" ] && args+=(--filter "$FILTER")

case "$MODE" in
address)
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    swift test --scratch-path .build-asan "${args[@]}" \
        -Xswiftc -sanitize=address \
        -Xcc -fsanitize=address,undefined -Xcc -fno-sanitize-recover=undefined
    ;;
thread)
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    swift build --scratch-path .build-tsan "${args[@]}" --build-tests -Xswiftc -sanitize=thread
    setarch "$(uname -m)" -R swift test --skip-build --scratch-path .build-tsan "${args[@]}"
    ;;
*)
    echo "unknown mode $MODE (address or thread)" >&2
    exit 2
    ;;
esac
