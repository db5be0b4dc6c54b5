#!/usr/bin/env python3
"""PyTorch side of the fused-kernel benchmark: the same work as Benchmarks/Sources/KernelBench.

Forward + backward of softmax (last axis), layer norm (weight and bias, eps 1e-12), GELU (exact
erf form) and GELU (tanh form) at [1024, 768] and [96, 128, 128], float32 on the CPU with
torch.set_num_threads(2); gradients reset to None before every run (as zeroGrad on our side).
Prints `<op> <shape> best <ms> median <ms>` over `repeats` runs after 3 warm-up runs.

    python3 Scripts/bench_kernels_torch.py [repeats]

Pinned: torch 2.15.0 (Scripts/requirements.txt).
"""
import sys
import time

import torch
import torch.nn.functional as F


def measure(body, repeats):
    for _ in range(3):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[0], times[len(times) // 2]


def report(op, shape, t):
    print(f"{op} {'x'.join(map(str, shape))} best {t[0]:.3f} median {t[1]:.3f}", flush=True)


def main():
    repeats = max(3, int(sys.argv[1])) if len(sys.argv) > 1 else 30
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(0)
    for shape in [(1024, 768), (96, 128, 128)]:
        x = torch.randn(*shape, generator=gen).requires_grad_(True)
        g = torch.randn(*shape, generator=gen)
        n = shape[-1]
        weight = (1 + 0.1 * torch.randn(n, generator=gen)).requires_grad_(True)
        bias = (0.1 * torch.randn(n, generator=gen)).requires_grad_(True)

        def softmax():
            x.grad = None
            torch.softmax(x, -1).backward(g)

        def layer_norm():
            x.grad = weight.grad = bias.grad = None
            F.layer_norm(x, (n,), weight, bias, 1e-12).backward(g)

        def gelu():
            x.grad = None
            F.gelu(x).backward(g)

        def gelu_tanh():
            x.grad = None
            F.gelu(x, approximate="tanh").backward(g)

        for name, body in [("softmax", softmax), ("layer_norm", layer_norm), ("gelu", gelu),
                           ("gelu_tanh", gelu_tanh)]:
            report(name, shape, measure(body, repeats))


if __name__ == "__main__":
    main()
