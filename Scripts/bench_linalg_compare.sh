#!/usr/bin/env bash
# Same-run comparison of the linear-algebra ops (torch.linalg; forward + backward)
# against PyTorch on 2 threads. Alternates our LinalgBench and Scripts/bench_linalg_torch.py
# for ROUNDS rounds (default 3) so machine noise hits both sides alike, then prints, per case,
# the best and the median-of-medians of each side and the ratio PyTorch time / our time
# (> 1 means we are faster). Usage:
#   bash Scripts/bench_linalg_compare.sh [repeats-per-round]
set -euo pipefail
exec bash "$(dirname "$0")/bench_ops_compare.sh" LinalgBench Scripts/bench_linalg_torch.py "${1:-10}"
