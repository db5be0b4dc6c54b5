#!/usr/bin/env bash
# Same-run comparison of the linear-algebra ops (torch.linalg; forward + backward)
# against PyTorch on 2 threads. Alternates our LinalgBench and Scripts/bench_linalg_torch.py
# for ROUNDS rounds (default 3) so machine noise hits both sides alike, then prints, per case,
# the best and the median-of-medians of each side and the ratio PyTorch time / our time
# (> 1 means we are faster). Usage:
#   bash Scripts/bench_linalg_compare.sh [repeats-per-round]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-10}"
rounds="${ROUNDS:-3}"
(cd Benchmarks && swift build -c release --product LinalgBench >/dev/null)
bin="$(cd Benchmarks && swift build -c release --show-bin-path)/LinalgBench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq 1 "$rounds"); do
  "$bin" "$repeats" >"$tmp/ours.$r"
  python3 Scripts/bench_linalg_torch.py "$repeats" >"$tmp/torch.$r"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp" "$rounds" <<'PY'
import statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
def read(side):
    best, medians = {}, {}
    for r in range(1, rounds + 1):
        for line in open(f"{tmp}/{side}.{r}"):
            op, shape, _, b, _, m = line.split()
            key = (op, shape)
            best[key] = min(best.get(key, float("inf")), float(b))
            medians.setdefault(key, []).append(float(m))
    return best, {k: statistics.median(v) for k, v in medians.items()}
ob, om = read("ours")
tb, tm = read("torch")
print(f"{'op':<11} {'shape':<11} {'ours best':>10} {'torch best':>11} {'ours med':>9} {'torch med':>10} {'ratio best':>11} {'ratio med':>10}")
for key in ob:
    op, shape = key
    print(f"{op:<11} {shape:<11} {ob[key]:>8.3f}ms {tb[key]:>9.3f}ms {om[key]:>7.3f}ms {tm[key]:>8.3f}ms "
          f"{tb[key] / ob[key]:>10.2f}x {tm[key] / om[key]:>9.2f}x")
PY
