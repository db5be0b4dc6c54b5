#!/usr/bin/env bash
# Same-run comparison of `bert bench` against transformers on PyTorch (fp32), alternating runs
# so machine noise hits both sides alike. Usage:
#   bash Scripts/bench_bert_compare.sh train --layers 12 --hidden 768 --heads 12 --intermediate 3072 --batch 8 --seq 128 --steps 3
#   bash Scripts/bench_bert_compare.sh infer --layers 12 --hidden 768 --heads 12 --intermediate 3072 --batch 32 --seq 128 --steps 3
# Prints both last lines, the peak RSS of each (GNU time) and the ratio ours / PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="$1"; shift
swift build -c release --product bert >/dev/null
bin="$(swift build -c release --show-bin-path)/bert"
rounds="${ROUNDS:-2}"
ours=(); theirs=()
for r in $(seq 1 "$rounds"); do
  o=$(/usr/bin/time -f "peak RSS %M KB" "$bin" bench "$mode" "$@" 2>&1)
  echo "$o" | tail -2
  ours+=("$(echo "$o" | grep 'seq/s' | tail -1 | awk '{print $(NF-1)}')")
  p=$(/usr/bin/time -f "peak RSS %M KB" python3 Scripts/bench_bert_torch.py "$mode" "$@" 2>&1)
  echo "$p" | grep -E 'seq/s|peak RSS' | tail -2
  theirs+=("$(echo "$p" | grep 'seq/s' | tail -1 | awk '{print $(NF-1)}')")
done
python3 - "${ours[*]}" "${theirs[*]}" <<'PY'
import sys
o = [float(x) for x in sys.argv[1].split()]; t = [float(x) for x in sys.argv[2].split()]
print(f"ours best {max(o):.3f} seq/s, pytorch best {max(t):.3f} seq/s, ratio {max(o)/max(t):.2f}x")
PY
