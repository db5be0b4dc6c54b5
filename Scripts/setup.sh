#!/usr/bin/env bash
# Installs what building and testing need; safe to run more than once.
# - apt: libopenblas-dev, liblapacke-dev, pkg-config (only when missing; needs root or sudo)
set -euo pipefail
need=()
for pkg in libopenblas-dev liblapacke-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null 2>&1 || { echo "setup: swift not found (expected on PATH or at /opt/swift)" >&2; exit 1; }
