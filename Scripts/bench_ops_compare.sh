#!/usr/bin/env bash
# Same-run comparison of one Benchmarks product against its PyTorch script (2 threads each),
# alternating for ROUNDS rounds (default 3) so machine noise hits both sides alike; prints per
# case the best and the median-of-medians of each side and the ratio PyTorch time / our time
# (> 1 means we are faster). Both sides print lines `op shape _ best _ median` (ms). Usage:
#   bash Scripts/bench_ops_compare.sh KernelBench Scripts/bench_kernels_torch.py [repeats-per-round]
# (Scripts/bench_kernels_compare.sh and Scripts/bench_linalg_compare.sh are the two uses.)
set -euo pipefail
product="$1"; torch_script="$2"
cd "$(dirname "$0")/.."
repeats="${3:-30}"
rounds="${ROUNDS:-3}"
(cd Benchmarks && swift build -c release --product "$product" >/dev/null)
bin="$(cd Benchmarks && swift build -c release --show-bin-path)/$product"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq 1 "$rounds"); do
  "$bin" "$repeats" >"$tmp/ours.$r"
  python3 "$torch_script" "$repeats" >"$tmp/torch.$r"
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
