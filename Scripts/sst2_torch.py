#!/usr/bin/env python3
"""SST-2 fine-tuning with PyTorch + transformers: the same recipe as `bert finetune classify`
(Scripts/sst2_compare.sh runs both in one go).

Recipe: all-MiniLM-L6-v2 + a new 2-label head (AutoModelForSequenceClassification), AdamW lr 5e-5,
weight decay 0.01 except bias and LayerNorm, 10 % linear warmup (ceil) then linear decay, batch 32,
max length 64 (dynamic padding to the longest of the batch), one epoch over the first N training
rows in an order shuffled with a fixed seed, gradient clipping at 1.0, dropout as in config.json.
Prints one JSON object: dev accuracy, training examples/s (optimizer steps only) and timings.

    python3 Scripts/sst2_torch.py --model .cache/models/all-MiniLM-L6-v2 --data ../shared/data/sst2 --limit 8000
Pinned versions: Scripts/requirements.txt.
"""
import argparse, json, math, time

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup


def read_tsv(path):
    """GLUE TSV with a header; the label column is `label`, the text the other one."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip()]
    header = lines[0].split("\t")
    li = header.index("label")
    ti = 1 - li
    rows = [l.split("\t") for l in lines[1:]]
    return [r[ti] for r in rows], [int(r[li]) for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--limit", type=int, default=8000)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    tok = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(a.model, num_labels=2)
    texts, labels = read_tsv(f"{a.data}/train.tsv")
    texts, labels = texts[: a.limit], labels[: a.limit]
    dev_texts, dev_labels = read_tsv(f"{a.data}/dev.tsv")

    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=a.lr)
    steps = math.ceil(len(texts) / a.batch_size)
    sched = get_linear_schedule_with_warmup(opt, math.ceil(0.1 * steps), steps)
    order = torch.randperm(len(texts), generator=torch.Generator().manual_seed(a.seed)).tolist()

    model.train()
    train_seconds, losses = 0.0, []
    for s in range(steps):
        idx = order[s * a.batch_size:(s + 1) * a.batch_size]
        t0 = time.perf_counter()
        enc = tok([texts[i] for i in idx], truncation=True, max_length=a.max_length, padding=True, return_tensors="pt")
        out = model(**enc, labels=torch.tensor([labels[i] for i in idx]))
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        train_seconds += time.perf_counter() - t0
        losses.append(out.loss.item())
        if (s + 1) % 10 == 0 or s + 1 == steps:
            print(f"step {s + 1}/{steps} loss {out.loss.item():.4f} {len(idx) * (s + 1) / train_seconds:.1f} ex/s", flush=True)

    model.eval()
    correct = 0
    t0 = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(dev_texts), 64):
            enc = tok(dev_texts[i:i + 64], truncation=True, max_length=a.max_length, padding=True, return_tensors="pt")
            pred = model(**enc).logits.argmax(-1).tolist()
            correct += sum(int(p == l) for p, l in zip(pred, dev_labels[i:i + 64]))
    print(json.dumps({
        "side": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "train_examples": len(texts), "steps": steps, "dev_examples": len(dev_texts),
        "dev_accuracy": correct / len(dev_texts), "train_examples_per_s": len(texts) / train_seconds,
        "train_seconds": train_seconds, "eval_seconds": time.perf_counter() - t0, "last_loss": losses[-1],
    }))


if __name__ == "__main__":
    main()
