#!/usr/bin/env python3
"""PyTorch side of the TensorCore matmul benchmark (Benchmarks: TensorBench matmul --torch).

Same shapes as MatmulBenchmark.swift: y = x @ W.T with W stored [N, K] (torch.nn.functional.linear,
no bias), forward and backward (dX and dW), float32; like the Swift side, variants are interleaved
and the best of 15 rounds (after 2 warm-ups) is reported, the estimate least disturbed by other
load on the shared machine.
Prints a header line, then "MxNxK forward_gflops backward_gflops" per shape.
Pinned versions: Scripts/requirements.txt (torch==2.15.0).
"""
import argparse
import time

import torch

SHAPES = [(1024, 768, 768), (1024, 3072, 768), (1024, 768, 3072)]


def best_seconds(variants, rounds=15, warmup=2):
    best = [float("inf")] * len(variants)
    for r in range(warmup + rounds):
        for i, variant in enumerate(variants):
            t = variant()
            if r >= warmup:
                best[i] = min(best[i], t)
    return best


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    gen = torch.Generator().manual_seed(1)
    for m, n, k in SHAPES:
        x = torch.randn(m, k, generator=gen)
        w = torch.randn(n, k, generator=gen)
        g = torch.randn(m, n, generator=gen)
        flops = 2.0 * m * n * k
        xr = x.clone().requires_grad_(True)
        wr = w.clone().requires_grad_(True)

        def forward():
            with torch.no_grad():
                return timed(lambda: torch.nn.functional.linear(x, w))

        def backward():
            xr.grad = None
            wr.grad = None
            y = torch.nn.functional.linear(xr, wr)
            return timed(lambda: y.backward(g))

        fwd, bwd = best_seconds([forward, backward])
        print(f"{m}x{n}x{k} {flops / fwd * 1e-9:.1f} {2 * flops / bwd * 1e-9:.1f}")


if __name__ == "__main__":
    main()
