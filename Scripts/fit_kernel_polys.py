#!/usr/bin/env python3
"""Derives the polynomial coefficients used by Sources/CKernels/ck_math.h.

Each approximation is a (near-)minimax fit computed with Lawson's iteratively reweighted least
squares in float64, then rounded to float32 and evaluated in float32 (Horner, like the C code)
to report the error the kernels will actually have. Re-run to regenerate the constants:

    python3 Scripts/fit_kernel_polys.py

Needs numpy only (see Scripts/requirements.txt). The Swift tests measure the shipped kernels
against libm independently; this script only documents where the numbers came from.
"""
import math

import numpy as np

F32 = np.float32


def lawson(basis, target, weight, iters=400):
    """Minimax-ish linear fit: minimise max |weight * (basis @ c - target)|."""
    a = basis * weight[:, None]
    b = target * weight
    w = np.full(len(b), 1.0 / len(b))
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        err = np.abs(a @ c - b)
        w = w * err
        w /= w.sum()
    return c


def horner32(coeffs, x):
    """Evaluates sum c[k] x^k in float32 with Horner's scheme (highest degree first)."""
    acc = np.full_like(x, F32(coeffs[-1]))
    for c in reversed(coeffs[:-1]):
        acc = acc * x + F32(c)
    return acc


def cheb_nodes(lo, hi, n):
    k = np.arange(n)
    return 0.5 * (lo + hi) + 0.5 * (hi - lo) * np.cos(np.pi * (k + 0.5) / n)


def fit_exp():
    # exp(r) = 1 + r + r^2 * P(r),  r in [-ln2/2, ln2/2]; relative error.
    h = math.log(2) / 2
    r = cheb_nodes(-h, h, 4000)
    deg = 5
    basis = np.stack([r ** (k + 2) for k in range(deg + 1)], axis=1)
    c = lawson(basis, np.exp(r) - 1 - r, 1 / np.exp(r))
    r32 = np.linspace(-h, h, 200001).astype(F32)
    p = horner32(list(c.astype(F32)), r32)
    y = (F32(1) + r32 + r32 * r32 * p).astype(np.float64)
    rel = np.max(np.abs(y / np.exp(r32.astype(np.float64)) - 1))
    return c, rel


def fit_tanh_small(limit=0.625):
    # tanh(x) = x + x^3 * P(x^2),  |x| <= limit; relative error.
    x = cheb_nodes(1e-4, limit, 4000)
    deg = 4
    z = x * x
    basis = np.stack([x ** 3 * z ** k for k in range(deg + 1)], axis=1)
    c = lawson(basis, np.tanh(x) - x, 1 / np.tanh(x))
    x32 = np.linspace(1e-4, limit, 200001).astype(F32)
    p = horner32(list(c.astype(F32)), x32 * x32)
    y = (x32 + x32 * (x32 * x32) * p).astype(np.float64)
    rel = np.max(np.abs(y / np.tanh(x32.astype(np.float64)) - 1))
    return c, rel


def fit_erf_rational(hi=3.8, pdeg=5, qdeg=5, iters=100):
    # erf(x) = x P(x^2) / Q(x^2), Q(0) = 1, on [0, hi]; absolute error. Linearised
    # (Sanathanan–Koerner) iterations: minimise |x P - erf * Q| / Q_previous, reweighted
    # towards minimax after a few rounds.
    n = 6000
    x = np.abs(0.5 * hi + 0.5 * hi * np.cos(np.pi * (np.arange(n) + 0.5) / n)) + 1e-6
    z = x * x
    e = np.array([math.erf(v) for v in x])
    qprev = np.ones_like(x)
    w = np.ones_like(x)
    for it in range(iters):
        a = np.concatenate([np.stack([x * z ** k for k in range(pdeg + 1)], axis=1),
                            np.stack([-e * z ** (k + 1) for k in range(qdeg)], axis=1)], axis=1)
        a = a / qprev[:, None]
        b = e / qprev
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        p, q = c[:pdeg + 1], np.concatenate([[1.0], c[pdeg + 1:]])
        qprev = sum(q[k] * z ** k for k in range(qdeg + 1))
        err = np.abs(x * sum(p[k] * z ** k for k in range(pdeg + 1)) / qprev - e)
        if it > 5:
            w = w * err
            w /= w.sum()
    # float32 evaluation as in ck_erf: clamp, Horner, one division, clamp to 1.
    x32 = np.linspace(0, 6, 600001).astype(F32)
    c32 = np.minimum(x32, F32(hi))
    z32 = (c32 * c32).astype(F32)
    y = np.minimum((c32 * horner32(list(p.astype(F32)), z32)) / horner32(list(q.astype(F32)), z32),
                   F32(1)).astype(np.float64)
    ref = np.array([math.erf(v) for v in x32.astype(np.float64)])
    return p, q, np.max(np.abs(y - ref))


def show(name, c):
    print(f"{name}:")
    for k, v in enumerate(c):
        print(f"  c{k} = {float(F32(v))!r:>26}f")


if __name__ == "__main__":
    c, e = fit_exp()
    show(f"exp P(r) (max rel err in float32 {e:.2e})", c)
    c, e = fit_tanh_small()
    show(f"tanh small P(x^2) (max rel err {e:.2e})", c)
    p, q, e = fit_erf_rational()
    show(f"erf numerator P(x^2) (max abs err of erf {e:.2e})", p)
    show("erf denominator Q(x^2)", q)
