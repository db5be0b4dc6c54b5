#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test (release build:
# the numeric tests are too slow in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
swift test -c release "$@"
