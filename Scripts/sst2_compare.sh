#!/usr/bin/env bash
# SST-2 fine-tuning, Swift (`bert finetune classify`) and PyTorch (Scripts/sst2_torch.py), same
# recipe, one after the other in the same run. Needs ../shared/data/sst2 (never copied into the repo)
# and the MiniLM model (Scripts/fetch_minilm.sh). Usage: Scripts/sst2_compare.sh [rows, default 8000]
set -euo pipefail
cd "$(dirname "$0")/.."
data="../shared/data/sst2"
if [ ! -f "$data/train.tsv" ] || [ ! -f "$data/dev.tsv" ]; then
  echo "sst2_compare: $data is absent; skipping the SST-2 comparison." >&2
  exit 0
fi
rows="${1:-8000}"
model=$(Scripts/fetch_minilm.sh)
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --product bert >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== swift: bert finetune classify ($rows rows)" >&2
.build/release/bert finetune classify --model "$model" --train "$data/train.tsv" --eval "$data/dev.tsv" \
  --output "$out/swift" --train-limit "$rows" --epochs 1 --batch-size 32 --max-length 64 --lr 5e-5 \
  --warmup-ratio 0.1 --weight-decay 0.01 --clip 1.0 --seed 42 --log-every 10 --keep-best false
echo "swift: $(tr -d '\n ' < "$out/swift/eval_results.json")"
echo "== pytorch: Scripts/sst2_torch.py ($rows rows)" >&2
python3 Scripts/sst2_torch.py --model "$model" --data "$data" --limit "$rows" | tail -1 | sed 's/^/pytorch: /'
