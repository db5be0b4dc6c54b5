#!/usr/bin/env python3
"""Writes the ParityTesting fixtures (Tests/ParityTestingTests/Fixtures/).

Pinned: numpy 2.4.6, torch 2.15.0, transformers 5.23.0, safetensors 0.8.0 (Scripts/requirements.txt).

    python3 Scripts/make_parity_fixtures.py

  allclose_cases.safetensors / .json  tensors with planted differences, NaN and infinities, and what
                                      NumPy's isclose says about them (failing count, worst element by
                                      |a-e| - (atol + rtol|e|), max abs / rel difference, NaN/inf mismatches)
  dump_tiny_*.safetensors             Scripts/dump_reference.py run on the BertKit fixture models
                                      (Tests/BertKitTests/Fixtures/tiny_gelu, odd_gelu_new)
  bert_base_parameters.json           transformers' BertModel(BertConfig()) (BERT-base): every parameter's
                                      name and shape, and the embeddings / encoder / pooler shares
"""
import json
import os
import sys

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "ParityTestingTests", "Fixtures")
BERT_FIXTURES = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures")


def allclose_cases():
    rng = np.random.default_rng(7)
    cases = []
    e = rng.standard_normal((3, 4, 5)).astype(np.float32)
    cases.append(("close", e + (rng.standard_normal(e.shape) * 1e-7).astype(np.float32), e, 1e-5, 1e-6, False))
    a = e.copy()
    a[1, 2, 3] += 0.01
    a[2, 0, 1] -= 0.003
    a[0, 3, 4] += 2e-5
    cases.append(("planted", a, e, 1e-5, 1e-6, False))
    e2 = rng.standard_normal((6, 7)).astype(np.float32)
    e2[0, 0], e2[1, 1], e2[2, 2], e2[3, 3], e2[4, 4] = np.inf, np.nan, -np.inf, np.nan, 0
    a2 = e2 + (rng.standard_normal(e2.shape) * 1e-4).astype(np.float32)
    a2[0, 0] = np.inf     # inf == inf: close
    a2[1, 1] = np.nan     # NaN vs NaN: close only with equal_nan
    a2[2, 2] = np.inf     # -inf vs +inf: mismatch
    a2[3, 3] = 1.0        # 1 vs NaN: mismatch
    a2[4, 4] = 1e-3       # vs 0: relative difference infinite
    a2[5, 6] = np.nan     # NaN vs finite: mismatch
    cases.append(("nonfinite", a2, e2, 1e-3, 1e-4, False))
    cases.append(("nonfinite_equal_nan", a2, e2, 1e-3, 1e-4, True))
    e3 = rng.standard_normal((50,)).astype(np.float32) * 100
    a3 = e3 * np.float32(1 + 3e-5)
    cases.append(("relative", a3, e3, 1e-5, 1e-3, False))

    tensors, results = {}, []
    for name, a, e, rtol, atol, equal_nan in cases:
        tensors[f"{name}.actual"] = a.astype(np.float32)
        tensors[f"{name}.expected"] = e.astype(np.float32)
        a64, e64 = a.astype(np.float64), e.astype(np.float64)
        close = np.isclose(a64, e64, rtol=rtol, atol=atol, equal_nan=equal_nan)
        finite = np.isfinite(a64) & np.isfinite(e64)
        with np.errstate(invalid="ignore", divide="ignore"):
            diff = np.abs(a64 - e64)
            excess = np.where(finite, diff - (atol + rtol * np.abs(e64)), np.where(close, -np.inf, np.inf))
            rel = np.where(finite & (diff > 0), diff / np.abs(e64), 0.0)
        worst = int(np.argmax(excess.ravel()))
        results.append({
            "name": name, "rtol": rtol, "atol": atol, "equal_nan": equal_nan, "shape": list(e.shape),
            "failing": int((~close).sum()), "nonfinite_mismatches": int((~close & ~finite).sum()),
            "worst_flat": worst, "worst_index": [int(i) for i in np.unravel_index(worst, e.shape)],
            "max_abs": float(np.where(finite, diff, 0).max()),
            "max_rel": "inf" if np.isinf(rel.max()) else float(rel.max()),  # JSON has no infinity
            "allclose": bool(np.allclose(a64, e64, rtol=rtol, atol=atol, equal_nan=equal_nan)),
        })
    save_file(tensors, os.path.join(OUT, "allclose_cases.safetensors"))
    with open(os.path.join(OUT, "allclose_cases.json"), "w") as f:
        json.dump({"numpy_version": np.__version__, "cases": results}, f, indent=1)


def dumps():
    sys.path.insert(0, HERE)
    import dump_reference
    tiny = os.path.join(BERT_FIXTURES, "tiny_gelu")
    odd = os.path.join(BERT_FIXTURES, "odd_gelu_new")
    # Padded rows: [CLS] … [SEP] of different lengths (ids below both vocabularies' sizes, 57 and 99).
    ids = json.dumps([[2, 17, 40, 55, 51, 8, 3], [2, 9, 33, 3], [2, 50, 12, 44, 3]])
    runs = [
        ("dump_tiny_model", tiny, ["--head", "model"]),
        ("dump_tiny_seqcls", tiny, ["--head", "sequence-classification", "--num-labels", "3"]),
        ("dump_tiny_qa", tiny, ["--head", "question-answering"]),
        ("dump_odd_pretraining", odd, ["--head", "pretraining"]),
    ]
    for name, model_dir, extra in runs:
        dump_reference.main([model_dir, "--ids", ids, "--seed", "3",
                             "--out", os.path.join(OUT, name + ".safetensors"), *extra])


def bert_base_parameters():
    import torch
    import transformers
    torch.manual_seed(0)
    model = transformers.BertModel(transformers.BertConfig())
    params = [{"name": n, "shape": list(p.shape)} for n, p in model.named_parameters()]
    total = sum(p.numel() for p in model.parameters())
    modules = {}
    for n, p in model.named_parameters():
        top = n.split(".")[0]
        modules[top] = modules.get(top, 0) + p.numel()
    with open(os.path.join(OUT, "bert_base_parameters.json"), "w") as f:
        json.dump({"transformers_version": transformers.__version__, "total": total,
                   "modules": {k: {"count": v, "percent": round(100 * v / total, 2)} for k, v in modules.items()},
                   "parameters": params}, f, indent=1)


def main():
    os.makedirs(OUT, exist_ok=True)
    allclose_cases()
    dumps()
    bert_base_parameters()
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    sys.exit(main())
