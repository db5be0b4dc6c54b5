#!/usr/bin/env bash
# A/B of two builds of `bert bench` (e.g. before and after a refactor), alternating runs so machine
# noise hits both alike, plus PyTorch in the same rounds. Usage:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && swift build -c release --product bert)
#   ROUNDS=4 bash Scripts/bench_bert_ab.sh /tmp/before/.build/release/bert train --batch 8 --seq 128 --steps 3
# Prints per-round seq/s of before, after and PyTorch (TORCH=0: skip PyTorch), then best/best,
# mean/mean and the median of the per-round ratios (on a shared VM single rounds vary by ±10 %).
set -euo pipefail
cd "$(dirname "$0")/.."
before="$1"; shift
mode="$1"; shift
swift build -c release --product bert >/dev/null
after="$(swift build -c release --show-bin-path)/bert"
rounds="${ROUNDS:-3}"
b=(); a=(); t=()
rate() { grep 'seq/s' | tail -1 | awk '{print $(NF-1)}'; }
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then  # alternate which build runs first, so drifts hit both alike
    x=$("$before" bench "$mode" "$@" 2>&1 | rate); y=$("$after" bench "$mode" "$@" 2>&1 | rate)
  else
    y=$("$after" bench "$mode" "$@" 2>&1 | rate); x=$("$before" bench "$mode" "$@" 2>&1 | rate)
  fi
  b+=("$x"); a+=("$y")
  z=0
  [ "${TORCH:-1}" = 0 ] || z=$(python3 Scripts/bench_bert_torch.py "$mode" "$@" 2>&1 | rate)
  t+=("$z")
  echo "round $r: before $x  after $y  pytorch $z seq/s  after/before $(python3 -c "print(f'{$y/$x:.3f}')")"
done
python3 - "${b[*]}" "${a[*]}" "${t[*]}" <<'PY'
import statistics, sys
b, a, t = ([float(x) for x in s.split()] for s in sys.argv[1:4])
ratios = [y / x for x, y in zip(b, a)]
print(f"best: before {max(b):.3f}, after {max(a):.3f} seq/s; after/before best/best {max(a)/max(b):.3f}x, "
      f"mean/mean {statistics.mean(a)/statistics.mean(b):.3f}x, median of round ratios {statistics.median(ratios):.3f}x")
if max(t) > 0:
    print(f"pytorch best {max(t):.3f} seq/s; before/pytorch {max(b)/max(t):.2f}x, after/pytorch {max(a)/max(t):.2f}x")
PY
