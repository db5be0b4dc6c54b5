#!/usr/bin/env bash
# The README's main job: installs what is missing, builds the `bert` tool (release) and runs
# the demo. Extra arguments go to `bert demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
swift build -c release --product bert
.build/release/bert mlp-example "$@"
