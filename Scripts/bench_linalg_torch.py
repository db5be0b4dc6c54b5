#!/usr/bin/env python3
"""torch.linalg side of the linear-algebra benchmark: the same work as Benchmarks/Sources/LinalgBench.

Forward + backward of solve, slogdet (batched), inv, cholesky, qr, svd, svdvals, eigh and lstsq
on the shapes below, float32 on the CPU with torch.set_num_threads(2); the loss is
sum_i <output_i, g_i> with fixed random g_i; gradients reset to None before every run.
Prints `<op> <shape> best <ms> median <ms>` over `repeats` runs after 2 warm-up runs.

    python3 Scripts/bench_linalg_torch.py [repeats]

Pinned: torch 2.15.0 (Scripts/requirements.txt).
"""
import sys
import time

import torch

L = torch.linalg


def measure(body, repeats):
    for _ in range(2):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[0], times[len(times) // 2]


def report(op, shape, t):
    print(f"{op} {'x'.join(map(str, shape))} best {t[0]:.3f} median {t[1]:.3f}")


def square(*shape):
    n = shape[-1]
    return (torch.randn(*shape) + 2 * n ** 0.5 * torch.eye(n)).requires_grad_(True)


def spd(n):
    x = torch.randn(n, n)
    return (x @ x.T / n + torch.eye(n)).requires_grad_(True)


def run(leaves, fn, grads):
    def body():
        for leaf in leaves:
            leaf.grad = None
        out = fn()
        outs = out if isinstance(out, tuple) else (out,)
        sum((o * g).sum() for o, g in zip(outs, grads)).backward()
    return body


def main():
    repeats = max(3, int(sys.argv[1])) if len(sys.argv) > 1 else 10
    torch.set_num_threads(2)
    torch.manual_seed(0)
    for n, k in [(64, 16), (256, 64)]:
        a, b = square(n, n), torch.randn(n, k, requires_grad=True)
        report("solve", [n, n, k], measure(run([a, b], lambda: L.solve(a, b), [torch.randn(n, k)]), repeats))
    batched = square(32, 32, 32)
    report("slogdet", [32, 32, 32], measure(run([batched], lambda: L.slogdet(batched)[1], [torch.randn(32)]), repeats))
    inv = square(256, 256)
    report("inv", [256, 256], measure(run([inv], lambda: L.inv(inv), [torch.randn(256, 256)]), repeats))
    c = spd(256)
    report("cholesky", [256, 256], measure(run([c], lambda: L.cholesky(c), [torch.randn(256, 256)]), repeats))
    q = torch.randn(512, 128, requires_grad=True)
    report("qr", [512, 128], measure(run([q], lambda: L.qr(q), [torch.randn(512, 128), torch.randn(128, 128)]), repeats))
    s = torch.randn(256, 128, requires_grad=True)
    report("svd", [256, 128], measure(run([s], lambda: L.svd(s, full_matrices=False),
                                          [torch.randn(256, 128), torch.randn(128), torch.randn(128, 128)]), repeats))
    report("svdvals", [256, 128], measure(run([s], lambda: L.svdvals(s), [torch.randn(128)]), repeats))
    e = spd(256)
    report("eigh", [256, 256], measure(run([e], lambda: L.eigh(e), [torch.randn(256), torch.randn(256, 256)]), repeats))
    la, lb = torch.randn(512, 64, requires_grad=True), torch.randn(512, 8, requires_grad=True)
    report("lstsq", [512, 64, 8], measure(run([la, lb], lambda: L.lstsq(la, lb).solution, [torch.randn(64, 8)]), repeats))


if __name__ == "__main__":
    main()
