#!/usr/bin/env bash
# Issue #11's speed figure in one run: `bert bench train` against transformers BertForPreTraining
# and a PyTorch loop with masked-position logits (Scripts/bench_pretrain_torch.py), alternating the
# order per round, then the ratios of sequences/s (per round, and best against best).
# Usage: Scripts/bench_pretrain_compare.sh [rounds, default 4]   (L4/H256/A4/I1024, B32, S128)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-4}"
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --product bert >&2
shape=(--layers 4 --hidden 256 --heads 4 --intermediate 1024 --batch 32 --seq 128)
ours() { .build/release/bert bench train "${shape[@]}" --steps 5 | awk '/seq\/s/ {print $(NF-1)}' | tail -1; }
torch() { python3 Scripts/bench_pretrain_torch.py "$1" "${shape[@]}" --steps "$2" | awk '/seq\/s/ {print $(NF-1)}' | tail -1; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
printf '%-6s %10s %10s %10s %9s %9s\n' round ours hf masked 'ratio hf' 'ratio loop'
best_o=0 best_h=0 best_m=0
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then o=$(ours); h=$(torch hf 3); m=$(torch masked 5)
  else m=$(torch masked 5); h=$(torch hf 3); o=$(ours); fi
  awk -v r="$r" -v o="$o" -v h="$h" -v m="$m" 'BEGIN { printf "%-6s %10.2f %10.2f %10.2f %8.2fx %8.2fx\n", r, o, h, m, o / h, o / m }'
  best_o=$(awk -v a="$o" -v b="$best_o" 'BEGIN { print (a > b ? a : b) }')
  best_h=$(awk -v a="$h" -v b="$best_h" 'BEGIN { print (a > b ? a : b) }')
  best_m=$(awk -v a="$m" -v b="$best_m" 'BEGIN { print (a > b ? a : b) }')
done
awk -v o="$best_o" -v h="$best_h" -v m="$best_m" 'BEGIN { printf "best/best: ours %.2f seq/s, %.2fx transformers BertForPreTraining (%.2f), %.2fx the masked-position loop (%.2f)\n", o, o / h, h, o / m, m }'
