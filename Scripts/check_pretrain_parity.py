#!/usr/bin/env python3
"""100 pretraining steps of the same tiny BERT in transformers and with `bert pretrain`.

Same initial weights (a BertForPreTraining saved here, passed as --init-from), the same
instances in the same order (--shuffle false; a jsonl file both sides read), dropout 0, AdamW
(weight decay 0.01, bias and LayerNorm excluded, eps 1e-8), linear warmup 10 then linear decay,
gradient clipping at 1.0. The loss of every step (before its update) must agree within 1e-3
relative; `bert pretrain --batch-size 8 --grad-accum 4` is compared with the batch of 32 too.

Usage (pinned versions: Scripts/requirements.txt):
    swift build -c release --product bert
    python3 Scripts/check_pretrain_parity.py [--bert .build/release/bert] [--steps 100]
Exits non-zero when a step differs by more than the tolerance.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import torch
from transformers import BertConfig, BertForPreTraining, get_linear_schedule_with_warmup

SEQ = 32


def make_data(directory, count, seed):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(59)]
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    rng = random.Random(seed)
    words = vocab[5:]
    lines = []
    for _ in range(count):
        # A little structure so the model has something to learn: B repeats part of A when IsNext.
        a = [rng.choice(words) for _ in range(rng.randint(4, 12))]
        is_random = rng.random() < 0.5
        b = [rng.choice(words) for _ in range(rng.randint(4, 12))] if is_random else a[: rng.randint(3, len(a))]
        tokens = ["[CLS]"] + a + ["[SEP]"] + b + ["[SEP]"]
        segments = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        candidates = [i for i, t in enumerate(tokens) if not t.startswith("[")]
        positions = sorted(rng.sample(candidates, max(1, round(len(candidates) * 0.15))))
        labels = [tokens[p] for p in positions]
        for p in positions:
            r = rng.random()
            tokens[p] = "[MASK]" if r < 0.8 else (rng.choice(words) if r < 0.9 else tokens[p])
        lines.append({"tokens": tokens, "segment_ids": segments, "is_random_next": is_random,
                      "masked_lm_positions": positions, "masked_lm_labels": labels})
    with open(os.path.join(directory, "train.jsonl"), "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    return vocab, lines


def batch_tensors(instances, token_id):
    b = len(instances)
    ids = torch.zeros(b, SEQ, dtype=torch.long)
    types = torch.zeros(b, SEQ, dtype=torch.long)
    mask = torch.zeros(b, SEQ, dtype=torch.long)
    labels = torch.full((b, SEQ), -100, dtype=torch.long)
    nsp = torch.tensor([int(x["is_random_next"]) for x in instances])
    for row, x in enumerate(instances):
        n = len(x["tokens"])
        ids[row, :n] = torch.tensor([token_id[t] for t in x["tokens"]])
        types[row, :n] = torch.tensor(x["segment_ids"])
        mask[row, :n] = 1
        for p, t in zip(x["masked_lm_positions"], x["masked_lm_labels"]):
            labels[row, p] = token_id[t]
    return ids, types, mask, labels, nsp


def torch_losses(init_dir, instances, token_id, steps, batch, lr, warmup):
    model = BertForPreTraining.from_pretrained(init_dir)
    model.train()  # dropout is 0 in the config
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if ("bias" in name or "LayerNorm" in name) else decay).append(p)
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=lr, eps=1e-8)
    schedule = get_linear_schedule_with_warmup(optimizer, warmup, steps)
    losses = []
    for step in range(steps):
        chunk = [instances[(step * batch + i) % len(instances)] for i in range(batch)]
        ids, types, mask, labels, nsp = batch_tensors(chunk, token_id)
        out = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels, next_sentence_label=nsp)
        losses.append(out.loss.item())
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    return losses


def bert_losses(binary, directory, init_dir, steps, batch, accum, lr, warmup, name):
    out = os.path.join(directory, name)
    command = [binary, "pretrain", "--init-from", init_dir, "--vocab", os.path.join(directory, "vocab.txt"),
               "--data", os.path.join(directory, "train.jsonl"), "--max-seq-length", str(SEQ),
               "--batch-size", str(batch), "--grad-accum", str(accum), "--steps", str(steps), "--lr", str(lr),
               "--warmup-steps", str(warmup), "--schedule", "linear", "--weight-decay", "0.01",
               "--optimizer", "adamw", "--adam-epsilon", "1e-8", "--clip", "1.0", "--shuffle", "false",
               "--log-every", "1", "--output", out]
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    records = [json.loads(line) for line in open(os.path.join(out, "metrics.jsonl"))]
    return [r["loss"] for r in records if r["kind"] == "train"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bert", default=".build/release/bert")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--tolerance", type=float, default=1e-3)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    lr, warmup, batch = 1e-3, 10, 32
    with tempfile.TemporaryDirectory() as directory:
        vocab, instances = make_data(directory, 320, seed=1)
        token_id = {t: i for i, t in enumerate(vocab)}
        config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=64, hidden_dropout_prob=0.0,
                            attention_probs_dropout_prob=0.0)
        init_dir = os.path.join(directory, "init")
        BertForPreTraining(config).save_pretrained(init_dir)
        with open(os.path.join(init_dir, "vocab.txt"), "w") as f:
            f.write("\n".join(vocab) + "\n")
        reference = torch_losses(init_dir, instances, token_id, args.steps, batch, lr, warmup)
        failed = False
        for name, b, accum in [("batch32", 32, 1), ("accum4x8", 8, 4)]:
            ours = bert_losses(args.bert, directory, init_dir, args.steps, b, accum, lr, warmup, name)
            assert len(ours) == args.steps, f"{name}: {len(ours)} losses"
            rel = [abs(o - r) / abs(r) for o, r in zip(ours, reference)]
            worst = max(range(len(rel)), key=rel.__getitem__)
            print(f"{name}: steps {args.steps}, loss {reference[0]:.6f} -> {reference[-1]:.6f} (torch) / "
                  f"{ours[0]:.6f} -> {ours[-1]:.6f} (bert); max relative difference {rel[worst]:.2e} at step {worst + 1}")
            for k in [0, 1, 9, 49, args.steps - 1]:
                if k < args.steps:
                    print(f"  step {k + 1:3d}: torch {reference[k]:.7f}  bert {ours[k]:.7f}  rel {rel[k]:.1e}")
            if rel[worst] > args.tolerance:
                failed = True
                print(f"  FAIL: step {worst + 1} differs by more than {args.tolerance}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
