#!/usr/bin/env python3
"""The PyTorch side of issue #11's speed figure: one pretraining step (MLM + NSP, forward, backward,
clip_grad_norm_(1.0), AdamW) of a small BERT, in two PyTorch forms:

  hf      transformers BertForPreTraining: vocabulary logits at every position ([B, T, V]),
          labels -100 elsewhere (what a Hugging Face user runs);
  masked  the same weights' modules (BertModel + BertPreTrainingHeads) with the MLM head applied
          only to the gathered masked positions ([B·P, V]) — the loop `bert pretrain` implements.

    python3 Scripts/bench_pretrain_torch.py hf --layers 4 --hidden 256 --heads 4 --intermediate 1024 \
        --batch 32 --seq 128 --predictions 20 --steps 10
    python3 Scripts/bench_pretrain_torch.py masked ...   # same flags

Random weights and ids, exactly `--predictions` masked positions per sequence (as Google's
max_predictions_per_seq), dropout on. One warm-up step is not timed. The last line ends in
`<number> seq/s`. Pinned: torch 2.15.0, transformers 5.23.0; torch's default threads (all cores).
"""
import argparse
import resource
import time

import torch
import torch.nn.functional as F
from transformers import BertConfig, BertForPreTraining


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["hf", "masked"])
    for name, default in [("layers", 4), ("hidden", 256), ("heads", 4), ("intermediate", 1024),
                          ("batch", 32), ("seq", 128), ("predictions", 20), ("steps", 10), ("vocab", 30522)]:
        ap.add_argument(f"--{name}", type=int, default=default)
    a = ap.parse_args()
    torch.manual_seed(0)
    config = BertConfig(vocab_size=a.vocab, hidden_size=a.hidden, num_hidden_layers=a.layers,
                        num_attention_heads=a.heads, intermediate_size=a.intermediate,
                        max_position_embeddings=max(512, a.seq), attn_implementation="sdpa")
    ids = torch.randint(0, a.vocab, (a.batch, a.seq))
    types = torch.zeros_like(ids)
    mask = torch.ones_like(ids)
    positions = torch.stack([torch.randperm(a.seq - 1)[:a.predictions].sort().values + 1 for _ in range(a.batch)])
    labels = torch.full_like(ids, -100)
    labels.scatter_(1, positions, ids.gather(1, positions))
    nsp = torch.randint(0, 2, (a.batch,))
    model = BertForPreTraining(config).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    flat = (positions + torch.arange(a.batch).unsqueeze(1) * a.seq).reshape(-1)
    targets = ids.reshape(-1)[flat]

    def step():
        opt.zero_grad(set_to_none=True)
        if a.mode == "hf":
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=labels,
                        next_sentence_label=nsp)
            loss = out.loss
        else:
            hidden, pooled = model.bert(input_ids=ids, attention_mask=mask, token_type_ids=types)[:2]
            picked = hidden.reshape(-1, a.hidden)[flat]                      # [B·P, H]
            logits = model.cls.predictions(picked)                          # [B·P, V]
            nsp_logits = model.cls.seq_relationship(pooled)                 # [B, 2]
            loss = F.cross_entropy(logits, targets) + F.cross_entropy(nsp_logits, nsp)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    dt = time.perf_counter() - t0
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"torch {torch.__version__} threads {torch.get_num_threads()} peak RSS {rss_gb:.2f} GB")
    print(f"pytorch {a.mode} L{a.layers} H{a.hidden} A{a.heads} I{a.intermediate} B{a.batch} S{a.seq} "
          f"P{a.predictions}: {dt / a.steps:.3f} s/step {a.batch * a.steps / dt:.3f} seq/s")


if __name__ == "__main__":
    main()
