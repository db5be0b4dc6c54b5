#!/usr/bin/env python3
"""Proves a classifier directory written by `bert finetune classify` (BERT or DistilBERT) loads in
transformers with no missing, unexpected or mismatched keys, and that `bert classify` prints the
same logits, softmax scores and id2label labels as transformers on the same texts.

    .build/release/bert finetune classify --model MODEL --train train.tsv --output run ...
    python3 Scripts/check_classifier_save.py run/model "a gorgeous, witty film" "a dull mess"

Exit 0 when they agree (logits within 1e-4 absolute), 1 when not. Pinned: transformers 5.23.0,
torch 2.15.0 (Scripts/requirements.txt).
"""
import json
import os
import subprocess
import sys

import torch
import transformers
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main(directory, texts):
    model, info = AutoModelForSequenceClassification.from_pretrained(directory, output_loading_info=True)
    model.eval()
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs")}
    print(f"transformers {transformers.__version__}: {type(model).__name__}, loading info {info}")
    if problems:
        print(f"FAIL: {problems}")
        return 1
    tokenizer = AutoTokenizer.from_pretrained(directory)
    binary = os.path.join(os.path.dirname(__file__), "..", ".build", "release", "bert")
    swift = [json.loads(line) for line in subprocess.run([binary, "classify", "--model", directory, *texts], check=True,
                                                          capture_output=True, text=True).stdout.splitlines()]
    worst = 0.0
    failures = []
    for text, ours in zip(texts, swift):
        with torch.no_grad():
            logits = model(**tokenizer(text, return_tensors="pt")).logits[0]
        scores = torch.softmax(logits.double(), dim=-1)
        label = model.config.id2label[int(logits.argmax())]
        worst = max(worst, max(abs(a - b) for a, b in zip(ours["logits"], logits.tolist())))
        if ours["label"] != label:
            failures.append(f"{text!r}: bert classify says {ours['label']}, transformers {label}")
        if max(abs(a - b) for a, b in zip(ours["scores"], scores.tolist())) > 1e-4:
            failures.append(f"{text!r}: scores {ours['scores']} against {scores.tolist()}")
        print(f"{text!r}: transformers {label} {scores.max().item():.6f} logits {[round(x, 6) for x in logits.tolist()]}; "
              f"bert classify {ours['label']} {ours['score']:.6f}")
    print(f"largest logit difference {worst:.2e} over {len(texts)} texts")
    if worst > 1e-4 or failures:
        print("FAIL: " + "; ".join(failures or [f"logits differ by {worst:.2e}"]))
        return 1
    print("OK: transformers loads the directory and agrees with bert classify")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
