#!/usr/bin/env bash
# Same-run comparison of the fused kernels (softmax, layer norm, GELU; forward + backward)
# against PyTorch on 2 threads. Alternates our KernelBench and Scripts/bench_kernels_torch.py
# for ROUNDS rounds (default 3) so machine noise hits both sides alike, then prints, per case,
# the best and the median-of-medians of each side and the ratio PyTorch time / our time
# (> 1 means we are faster). Usage:
#   bash Scripts/bench_kernels_compare.sh [repeats-per-round]
set -euo pipefail
exec bash "$(dirname "$0")/bench_ops_compare.sh" KernelBench Scripts/bench_kernels_torch.py "${1:-30}"
