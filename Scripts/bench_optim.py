#!/usr/bin/env python3
"""PyTorch side of Benchmarks/Sources/OptimBench: the same BERT-base parameter shapes
(109.5M floats, 199 tensors), the same operations, the same thread count. Run both in the same
session and compare ratios (Docs/PERFORMANCE.md, "TensorCore: optimizers and safetensors").

    python3 Scripts/bench_optim.py [steps] [minilm-dir]
"""
import statistics
import sys
import time

import torch
from safetensors.torch import load_file


def bert_base_shapes():
    h, ffn = 768, 3072
    shapes = [("embeddings.word_embeddings.weight", [30522, h]), ("embeddings.position_embeddings.weight", [512, h]),
              ("embeddings.token_type_embeddings.weight", [2, h]),
              ("embeddings.LayerNorm.weight", [h]), ("embeddings.LayerNorm.bias", [h])]
    for layer in range(12):
        p = f"encoder.layer.{layer}."
        for m in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
            shapes += [(p + m + ".weight", [h, h]), (p + m + ".bias", [h])]
        shapes += [(p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
                   (p + "intermediate.dense.weight", [ffn, h]), (p + "intermediate.dense.bias", [ffn]),
                   (p + "output.dense.weight", [h, ffn]), (p + "output.dense.bias", [h]),
                   (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h])]
    shapes += [("pooler.dense.weight", [h, h]), ("pooler.dense.bias", [h])]
    return shapes


def timed(label, steps, fn):
    fn()  # warm up (allocates state)
    samples = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    print(f"{label:<40} median {statistics.median(samples):8.1f} ms  (min {min(samples):.1f}, {steps} runs)")


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    torch.set_num_threads(2)
    torch.manual_seed(1)
    named = []
    for name, shape in bert_base_shapes():
        p = torch.nn.Parameter(torch.empty(shape).uniform_(-0.05, 0.05))
        p.grad = torch.empty(shape).uniform_(-1e-3, 1e-3)
        named.append((name, p))
    total = sum(p.numel() for _, p in named)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}: {len(named)} tensors, {total} floats")
    no_decay = ("bias", "LayerNorm", "layer_norm")
    groups = [{"params": [p for n, p in named if not any(k in n for k in no_decay)], "weight_decay": 0.01},
              {"params": [p for n, p in named if any(k in n for k in no_decay)], "weight_decay": 0.0}]
    params = [p for _, p in named]
    timed("clip_grad_norm_ (max 1e9)", steps, lambda: torch.nn.utils.clip_grad_norm_(params, 1e9))
    for label, opt in [
        ("AdamW.step (default: single-tensor)", torch.optim.AdamW(groups, lr=1e-4)),
        ("AdamW.step (foreach=True)", torch.optim.AdamW(groups, lr=1e-4, foreach=True)),
        ("AdamW.step (fused=True)", torch.optim.AdamW(groups, lr=1e-4, fused=True)),
        ("Adam.step (L2 decay, default)", torch.optim.Adam(groups, lr=1e-4)),
        ("SGD(momentum 0.9).step (default)", torch.optim.SGD(groups, lr=1e-4, momentum=0.9)),
    ]:
        with torch.no_grad():
            timed(label, steps, opt.step)
        del opt
    if len(sys.argv) > 2:
        path = sys.argv[2] + "/model.safetensors"
        timed("safetensors load_file (MiniLM)", steps, lambda: load_file(path))


if __name__ == "__main__":
    main()
