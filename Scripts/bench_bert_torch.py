#!/usr/bin/env python3
"""The PyTorch side of `bert bench`: same workload, transformers BertForPreTraining / BertModel, fp32.

    python3 Scripts/bench_bert_torch.py train --layers 12 --hidden 768 --heads 12 --intermediate 3072 \
        --batch 8 --seq 128 --steps 5
    python3 Scripts/bench_bert_torch.py infer --layers 12 --hidden 768 --heads 12 --intermediate 3072 \
        --batch 32 --seq 128 --steps 3

train: random weights and ids, MLM labels on 15% of positions + NSP labels, forward + backward +
clip_grad_norm_(1.0) + AdamW step (dropout on, as in training). infer: BertModel forward under
no_grad, eval mode. One warm-up step is not timed. Prints the peak RSS and a last line ending in
`<number> seq/s`. Pinned: torch 2.15.0, transformers 5.23.0. Threads: torch default (all cores).
"""
import argparse
import resource
import time

import torch
from transformers import BertConfig, BertForPreTraining, BertModel


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "infer"])
    for name, default in [("layers", 12), ("hidden", 768), ("heads", 12), ("intermediate", 3072),
                          ("batch", 8), ("seq", 128), ("steps", 5), ("vocab", 30522)]:
        ap.add_argument(f"--{name}", type=int, default=default)
    a = ap.parse_args()
    torch.manual_seed(0)
    config = BertConfig(vocab_size=a.vocab, hidden_size=a.hidden, num_hidden_layers=a.layers,
                        num_attention_heads=a.heads, intermediate_size=a.intermediate,
                        max_position_embeddings=max(512, a.seq), attn_implementation="sdpa")
    ids = torch.randint(0, a.vocab, (a.batch, a.seq))
    types = torch.zeros_like(ids)
    mask = torch.ones_like(ids)
    if a.mode == "train":
        model = BertForPreTraining(config).train()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
        labels = torch.full_like(ids, -100)
        pick = torch.rand(ids.shape) < 0.15
        labels[pick] = ids[pick]
        nsp = torch.randint(0, 2, (a.batch,))

        def step():
            opt.zero_grad(set_to_none=True)
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=labels,
                        next_sentence_label=nsp)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
    else:
        model = BertModel(config).eval()

        def step():
            with torch.no_grad():
                model(input_ids=ids, attention_mask=mask, token_type_ids=types)
    step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    dt = time.perf_counter() - t0
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"torch {torch.__version__} threads {torch.get_num_threads()} peak RSS {rss_gb:.2f} GB")
    print(f"pytorch {a.mode} L{a.layers} H{a.hidden} A{a.heads} I{a.intermediate} B{a.batch} S{a.seq}: "
          f"{dt / a.steps:.3f} s/step {a.batch * a.steps / dt:.3f} seq/s")


if __name__ == "__main__":
    main()
