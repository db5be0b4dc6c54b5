#!/usr/bin/env python3
"""Proves a model directory written by `bert finetune choice` loads in transformers as
BertForMultipleChoice (or DistilBertForMultipleChoice: AutoModelForMultipleChoice by config.json's
model_type) with no missing or unexpected keys, and that transformers, preprocessing a
SWAG-style file as run_swag.py does, picks the same endings with the same probabilities as
`bert predict --task choice` wrote.

    bert finetune choice --model M --train train.csv --eval dev.csv --output run --max-length 24
    bert predict --task choice --model run/model --input dev.csv --output pred.tsv --max-length 24
    python3 Scripts/check_choice_save.py run/model dev.csv pred.tsv 24

The file may be CSV with SWAG's columns or JSON Lines (SWAG keys or context/endings). Pinned:
transformers 5.23.0, torch 2.15.0.
"""
import csv
import json
import sys

import torch
import transformers
from transformers import AutoModelForMultipleChoice, AutoTokenizer, DataCollatorForMultipleChoice


def read(path):
    """(first sentence, [second sentences]) per example, with the pairing run_swag uses."""
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    else:
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    out = []
    for r in rows:
        if "sent1" in r:
            endings = [r[f"ending{i}"] for i in range(len([k for k in r if k.startswith("ending")]))]
            out.append((r["sent1"], [f"{r.get('sent2', '')} {e}" for e in endings]))
        else:
            first = r.get("context") or r.get("question")
            header = r.get("question") if "context" in r else None
            endings = r["endings"]
            out.append((first, [f"{header} {e}" if header else e for e in endings]))
    return out


def main(model_dir, data, predictions, max_length):
    model, info = AutoModelForMultipleChoice.from_pretrained(model_dir, output_loading_info=True, attn_implementation="eager")
    model.eval()
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs")}
    print(f"transformers {transformers.__version__} loading info: {info}")
    if problems:
        sys.exit(f"FAIL: {problems}")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    examples = read(data)
    n = len(examples[0][1])
    enc = tokenizer([a for a, ends in examples for _ in ends], [b for _, ends in examples for b in ends],
                    truncation=True, max_length=int(max_length))
    features = [{k: enc[k][i * n:(i + 1) * n] for k in ("input_ids", "token_type_ids", "attention_mask")} | {"label": 0}
                for i in range(len(examples))]
    batch = DataCollatorForMultipleChoice(tokenizer)(features)
    batch.pop("labels")  # the collator needs a label; the scores do not
    if model.config.model_type == "distilbert":
        batch.pop("token_type_ids", None)  # DistilBERT has no segment embeddings
    with torch.no_grad():
        probs = torch.softmax(model(**batch).logits, dim=-1)
    rows = [line.rstrip("\n").split("\t") for line in open(predictions, encoding="utf-8")][1:]
    worst, disagree = 0.0, 0
    for k, (row, p) in enumerate(zip(rows, probs)):
        choice, score = int(row[1]), float(row[2])
        if choice != int(p.argmax()):
            disagree += 1
        worst = max(worst, abs(score - float(p[choice])))
    print(f"{len(rows)} examples: {disagree} different choices, max |score difference| {worst:.2e}")
    if disagree or worst > 1e-4 or len(rows) != len(examples):
        sys.exit("FAIL")
    print("OK")


if __name__ == "__main__":
    main(*sys.argv[1:5])
