"""Checks the TensorBoard event files of a `bert pretrain` or `bert finetune` output directory with
TensorBoard's own reader: every train/eval record of metrics.jsonl must be there as a scalar at
its step (values equal to float32 rounding, the precision of TensorBoard's simple_value), and
nothing else. A fine-tuning run (its train records have `examples_per_s`) logs loss, lr,
grad_norm and examples_per_s as train/<name>, and every eval_<metric> as eval/<metric>. Exits 0 when they agree, 1 when not; skips (exit 0, saying so) when tensorboard is not
installed — it is optional: pip install tensorboard==2.21.0 (pinned in Scripts/requirements.txt).

    .build/release/bert pretrain ... --output run      (or: bert finetune classify ... --output run)
    python3 Scripts/check_tensorboard_events.py run
"""
import json
import math
import os
import sys

TRAIN = {"loss": "train/loss", "mlm_loss": "train/mlm_loss", "nsp_loss": "train/nsp_loss",
         "mlm_accuracy": "train/mlm_accuracy", "nsp_accuracy": "train/nsp_accuracy", "lr": "train/lr",
         "grad_norm": "train/grad_norm", "seq_per_s": "train/seq_per_s"}
FINETUNE_TRAIN = {k: f"train/{k}" for k in ("loss", "lr", "grad_norm", "examples_per_s")}
EVAL = {"eval_mlm_loss": "eval/mlm_loss", "eval_perplexity": "eval/perplexity",
        "eval_mlm_accuracy": "eval/mlm_accuracy", "eval_nsp_loss": "eval/nsp_loss",
        "eval_nsp_accuracy": "eval/nsp_accuracy"}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    try:
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    except ImportError:
        print("check_tensorboard_events: tensorboard is not installed; skipped (pip install tensorboard==2.21.0)")
        return 0
    run = sys.argv[1]
    expected = {}
    with open(os.path.join(run, "metrics.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            kind = record.get("kind")
            if kind == "train":
                names = FINETUNE_TRAIN if "examples_per_s" in record else TRAIN
            elif kind == "eval" and "eval_perplexity" in record:
                names = EVAL
            elif kind == "eval":
                names = {k: "eval/" + k[len("eval_"):] for k in record if k.startswith("eval_")}
            else:
                names = {}
            for key, tag in names.items():
                value = record.get(key)
                if value is not None and math.isfinite(value):
                    expected[(tag, record["step"])] = value
    accumulator = EventAccumulator(run, size_guidance={"scalars": 0})
    accumulator.Reload()
    seen = {}
    for tag in accumulator.Tags()["scalars"]:
        for event in accumulator.Scalars(tag):
            seen[(tag, event.step)] = event.value
    problems = []
    for key, value in sorted(expected.items()):
        if key not in seen:
            problems.append(f"missing {key[0]} at step {key[1]}")
        elif not math.isclose(seen[key], value, rel_tol=1e-6, abs_tol=1e-30):
            problems.append(f"{key[0]} at step {key[1]}: {seen[key]} in the event file, {value} in metrics.jsonl")
    problems += [f"unexpected {k[0]} at step {k[1]}" for k in sorted(set(seen) - set(expected))]
    tags = sorted({k[0] for k in seen})
    print(f"check_tensorboard_events: {len(seen)} scalars in {len(tags)} tags read by TensorBoard "
          f"{__import__('tensorboard').__version__}; {len(expected)} expected from metrics.jsonl")
    for p in problems[:20]:
        print("  " + p)
    if problems:
        print(f"FAILED: {len(problems)} differences")
        return 1
    print("OK: the event files hold exactly the metrics.jsonl scalars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
