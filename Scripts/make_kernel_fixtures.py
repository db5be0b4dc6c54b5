#!/usr/bin/env python3
"""Writes Tests/TensorCoreTests/Fixtures/kernels.json: PyTorch reference values for the fused
kernels and the ops around them (activations, softmax, layer norm, losses, embedding, ...).

Pinned: torch 2.15.0, numpy (Scripts/requirements.txt). Run from anywhere:

    python3 Scripts/make_kernel_fixtures.py

Every case holds float32 inputs, the forward output, one fixed upstream gradient (a random
tensor for tensor outputs, a scalar for losses) and the resulting gradient of every
differentiable input, all computed by torch in float32 on the CPU. Integer inputs (indices,
targets) are stored as integer lists; `params` carries the op's options. Floats are written
with 9 significant digits, which round-trips float32 exactly.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TensorCoreTests",
                   "Fixtures", "kernels.json")

gen = torch.Generator().manual_seed(20240611)


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=gen) * scale).float()


def spread(*shape, lo=-6.0, hi=6.0):
    """Values covering [lo, hi] (both polynomial regions of every approximation)."""
    n = math.prod(shape)
    base = torch.linspace(lo, hi, n)
    perm = torch.randperm(n, generator=gen)
    return base[perm].reshape(shape).float()


def tensor_json(t):
    t = t.detach().float().contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


def run_case(name, op, params, inputs, fn, int_inputs=None, scalar_grad=None):
    """inputs: dict name -> float tensor (all differentiable); fn(**inputs, **int_inputs)."""
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    out = fn(**leaves, **(int_inputs or {}))
    if out.dim() == 0:
        upstream = torch.tensor(scalar_grad if scalar_grad is not None else 1.0)
    else:
        upstream = randn(*out.shape)
    out.backward(upstream)
    case = {
        "name": name,
        "op": op,
        "params": params,
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
        "intInputs": {k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()}
                      for k, v in (int_inputs or {}).items()},
        "output": tensor_json(out),
        "upstream": tensor_json(upstream),
        "grads": {k: tensor_json(v.grad if v.grad is not None else torch.zeros_like(v))
                  for k, v in leaves.items()},
    }
    return case


def cases():
    out = []
    x = spread(4, 9)
    unary = [
        ("tanh", {}, torch.tanh),
        ("sigmoid", {}, torch.sigmoid),
        ("erf", {}, torch.erf),
        ("gelu", {"approximation": "none"}, lambda x: F.gelu(x)),
        ("gelu", {"approximation": "tanh"}, lambda x: F.gelu(x, approximate="tanh")),
        ("quickGelu", {}, lambda x: x * torch.sigmoid(1.702 * x)),
        ("silu", {}, F.silu),
    ]
    for op, params, f in unary:
        suffix = "_" + params["approximation"] if "approximation" in params else ""
        out.append(run_case(op + suffix, op, params, {"x": x}, lambda x, f=f: f(x)))

    # Softmax family: last axis, a middle axis and the first axis; a large-magnitude row.
    s = randn(2, 5, 7, scale=3.0)
    s[1, 2] += 40.0
    for axis in (-1, 1, 0):
        out.append(run_case(f"softmax_axis{axis}", "softmax", {"axis": axis}, {"x": s},
                            lambda x, a=axis: torch.softmax(x, a)))
        out.append(run_case(f"logSoftmax_axis{axis}", "logSoftmax", {"axis": axis}, {"x": s},
                            lambda x, a=axis: torch.log_softmax(x, a)))
    # A masked row the way BERT masks attention: finfo.min added to the logits.
    m = randn(3, 6)
    mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [0, 1, 0, 1, 0, 1]],
                        dtype=torch.float32)
    masked = m + mask * torch.finfo(torch.float32).min
    out.append(run_case("softmax_masked", "softmax", {"axis": -1}, {"x": masked},
                        lambda x: torch.softmax(x, -1)))

    # Layer norm over the last axis, two eps values (BERT uses 1e-12).
    ln_x = randn(3, 2, 10, scale=2.0) + 0.5
    ln_w = randn(10) * 0.5 + 1.0
    ln_b = randn(10) * 0.1
    for eps in (1e-12, 1e-5):
        out.append(run_case(f"layerNorm_eps{eps:g}", "layerNorm", {"eps": eps},
                            {"x": ln_x, "weight": ln_w, "bias": ln_b},
                            lambda x, weight, bias, e=eps: F.layer_norm(x, (10,), weight, bias, e)))

    # Cross-entropy with ignored targets, every reduction.
    logits = randn(6, 5, scale=2.0)
    targets = torch.tensor([1, -100, 4, 0, -100, 2])
    for red in ("mean", "sum", "none"):
        out.append(run_case(f"crossEntropy_{red}", "crossEntropy",
                            {"reduction": red, "ignoreIndex": -100}, {"logits": logits},
                            lambda logits, targets, r=red: F.cross_entropy(
                                logits, targets, ignore_index=-100, reduction=r),
                            int_inputs={"targets": targets}, scalar_grad=1.7))
    # 3-D logits [B, T, C] the way token classification uses them (flattened by the op).
    logits3 = randn(2, 3, 4)
    targets3 = torch.tensor([[0, 3, -100], [2, 1, 1]])
    out.append(run_case("crossEntropy_3d_mean", "crossEntropy",
                        {"reduction": "mean", "ignoreIndex": -100}, {"logits": logits3},
                        lambda logits, targets: F.cross_entropy(
                            logits.reshape(-1, 4), targets.reshape(-1), ignore_index=-100),
                        int_inputs={"targets": targets3}, scalar_grad=0.6))

    # MSE and BCE-with-logits (mean), including extreme logits for BCE.
    a, b = randn(3, 4), randn(3, 4)
    out.append(run_case("mseLoss_mean", "mseLoss", {"reduction": "mean"},
                        {"input": a, "target": b},
                        lambda input, target: F.mse_loss(input, target), scalar_grad=1.3))
    z = randn(3, 4, scale=3.0)
    z[0, 0], z[0, 1] = 60.0, -60.0
    y = torch.rand(3, 4, generator=gen)
    y[0, 0], y[0, 1] = 0.0, 1.0
    out.append(run_case("bceWithLogits_mean", "binaryCrossEntropyWithLogits",
                        {"reduction": "mean"}, {"input": z, "target": y},
                        lambda input, target: F.binary_cross_entropy_with_logits(input, target),
                        scalar_grad=0.9))

    # Embedding with a padding row that must get no gradient.
    weight = randn(7, 4)
    ids = torch.tensor([[1, 0, 3, 3, 6], [0, 2, 2, 5, 1]])
    out.append(run_case("embedding_padding0", "embedding", {"paddingIndex": 0},
                        {"weight": weight},
                        lambda weight, indices: F.embedding(indices, weight, padding_idx=0),
                        int_inputs={"indices": ids}))

    # indexSelect along a middle axis (repeated indices accumulate).
    src = randn(2, 5, 3)
    sel = torch.tensor([4, 0, 4, 2])
    out.append(run_case("indexSelect_axis1", "indexSelect", {"axis": 1}, {"x": src},
                        lambda x, indices: torch.index_select(x, 1, indices),
                        int_inputs={"indices": sel}))
    return out


def main():
    torch.set_num_threads(1)
    data = {"torch": torch.__version__, "cases": cases()}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    os.replace(tmp, OUT)
    print(f"wrote {len(data['cases'])} cases to {os.path.normpath(OUT)} "
          f"({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
