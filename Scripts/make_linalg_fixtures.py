#!/usr/bin/env python3
"""Writes Tests/TensorCoreTests/Fixtures/linalg.json: torch.linalg reference values (forward
and gradients) for TensorCore's Linalg ops.

Pinned: torch 2.15.0 (CPU is enough), numpy (Scripts/requirements.txt). Run from anywhere:

    python3 Scripts/make_linalg_fixtures.py

Each case holds float32 inputs, the op's outputs, one fixed random upstream gradient per
differentiable output (null for an output that gets none) and the resulting gradient of every
input. torch computes in float64 on the float32 input values (TensorCore factorises in float64
too), so the references carry no float32 rounding of their own. Loss = sum_i <output_i,
upstream_i>. Singular vectors, eigenvectors and QR factors are determined only up to the sign of
each column (row of Vh / R); the tests align TensorCore's signs with these before comparing, and
flip the upstream gradients to match. Floats are written with 17 significant digits.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TensorCoreTests",
                   "Fixtures", "linalg.json")

gen = torch.Generator().manual_seed(20240716)


def randn(*shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float32)


def well_conditioned(*shape):
    """Square matrices randn + n·I: comfortably invertible."""
    n = shape[-1]
    return (randn(*shape) + n * torch.eye(n)).float()


def spd(*shape):
    """Symmetric positive definite X Xᵀ + n·I."""
    n = shape[-1]
    x = randn(*shape).double()
    return (x @ x.mT + n * torch.eye(n, dtype=torch.float64)).float()


def symmetric(*shape):
    x = randn(*shape).double()
    return ((x + x.mT) / 2).float()


def tensor_json(t):
    t = t.detach().double().contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.17g}") for v in t.reshape(-1).tolist()]}


CASES = []


def case(name, op, inputs, fn, grad_outputs=None, params=None):
    """inputs: dict name -> float32 tensor; fn(*float64 leaves, in order) -> tensor or tuple of tensors.
    grad_outputs: which outputs get an upstream gradient (default: all)."""
    leaves = {k: v.double().clone().requires_grad_(True) for k, v in inputs.items()}
    out = fn(*leaves.values())
    outs = list(out) if isinstance(out, tuple) else [out]
    use = grad_outputs if grad_outputs is not None else [True] * len(outs)
    upstream = [randn(*o.shape).double() if u else None for o, u in zip(outs, use)]
    loss = sum((o * g).sum() for o, g in zip(outs, upstream) if g is not None)
    loss.backward()
    CASES.append({
        "name": name,
        "op": op,
        "params": params or {},
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
        "outputs": [tensor_json(o) for o in outs],
        "upstream": [tensor_json(g) if g is not None else None for g in upstream],
        "grads": {k: tensor_json(v.grad) for k, v in leaves.items()},
    })


ERRORS = []


def error_case(name, op, kind, inputs, info):
    """A batch with a failing matrix; info: torch's per-matrix LAPACK info (from the *_ex op)."""
    ERRORS.append({"name": name, "op": op, "kind": kind,
                   "inputs": {k: tensor_json(v) for k, v in inputs.items()},
                   "info": [int(i) for i in info.reshape(-1).tolist()]})


def main():
    L = torch.linalg
    case("solve batched", "solve", {"a": well_conditioned(2, 3, 3), "b": randn(2, 3, 2)}, L.solve)
    case("solve vector", "solve", {"a": well_conditioned(4, 4), "b": randn(4)}, L.solve)
    case("solve broadcast", "solve", {"a": well_conditioned(3, 3), "b": randn(2, 3, 2)}, L.solve)
    case("inverse batched", "inverse", {"a": well_conditioned(2, 4, 4)}, L.inv)
    case("det batched", "det", {"a": well_conditioned(3, 3, 3) * torch.tensor([1.0, -1.0, 0.5]).reshape(3, 1, 1)}, L.det)
    neg = well_conditioned(2, 3, 3)
    neg[1] = neg[1][[1, 0, 2]]  # a row swap: negative determinant
    case("slogdet batched", "slogdet", {"a": neg}, L.slogdet, grad_outputs=[False, True])
    case("cholesky batched", "cholesky", {"a": spd(2, 4, 4)}, L.cholesky)
    chol = L.cholesky(spd(2, 4, 4).double()).float()
    case("cholesky_solve batched", "cholesky_solve", {"b": randn(2, 4, 3), "l": chol},
         lambda b, l: torch.cholesky_solve(b, l, upper=False))
    case("qr tall", "qr", {"a": randn(2, 5, 3)}, L.qr)
    case("qr wide", "qr", {"a": randn(3, 5)}, L.qr)
    case("qr square", "qr", {"a": randn(4, 4)}, L.qr)
    svd = lambda a: L.svd(a, full_matrices=False)
    case("svd tall", "svd", {"a": randn(2, 5, 3)}, svd)
    case("svd wide", "svd", {"a": randn(3, 5)}, svd)
    case("svd square values only", "svd", {"a": randn(4, 4)}, svd, grad_outputs=[False, True, False])
    case("svdvals batched", "svdvals", {"a": randn(2, 4, 3)}, L.svdvals)
    case("eigh batched", "eigh", {"a": symmetric(2, 4, 4)}, L.eigh)
    case("eigvalsh batched", "eigvalsh", {"a": symmetric(2, 4, 4)}, L.eigvalsh)
    case("lstsq tall batched", "lstsq", {"a": randn(2, 6, 3), "b": randn(2, 6, 2)},
         lambda a, b: L.lstsq(a, b).solution)
    case("lstsq vector", "lstsq", {"a": randn(5, 3), "b": randn(5)}, lambda a, b: L.lstsq(a, b).solution)
    case("pinv tall batched", "pinv", {"a": randn(2, 5, 3)}, L.pinv)
    case("pinv wide", "pinv", {"a": randn(3, 5)}, L.pinv)
    for kind, ord_ in [("frobenius", "fro"), ("nuclear", "nuc"), ("spectral", 2)]:
        case(f"matrix_norm {kind}", "matrix_norm", {"a": randn(2, 3, 4)},
             lambda a, o=ord_: L.matrix_norm(a, ord=o), params={"kind": kind})

    # Typed errors: torch's *_ex variants report LAPACK's info per matrix instead of raising.
    a = well_conditioned(3, 3, 3)
    a[1] = torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, -1.0, 2.0]])  # rows 0, 1 dependent
    b = randn(3, 3, 2)
    error_case("solve singular", "solve", "singular", {"a": a, "b": b}, L.solve_ex(a.double(), b.double()).info)
    error_case("inverse singular", "inverse", "singular", {"a": a}, L.inv_ex(a.double()).info)
    c = spd(3, 4, 4)
    c[2] = torch.diag(torch.tensor([2.0, 1.0, -1.0, 3.0]))                    # third minor negative
    error_case("cholesky not positive definite", "cholesky", "notPositiveDefinite", {"a": c},
               L.cholesky_ex(c.double()).info)
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": CASES, "errors": ERRORS}, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
