#!/usr/bin/env python3
"""Converts a Hugging Face `pytorch_model.bin` (torch pickle) to `model.safetensors`.

    python3 Scripts/convert_pytorch_bin.py MODEL_DIR/pytorch_model.bin MODEL_DIR/model.safetensors

Keeps Hugging Face names; drops buffers that carry no weights (`position_ids`, `token_type_ids`);
renames legacy LayerNorm `gamma`/`beta` to `weight`/`bias`; stores one copy of tensors that share
memory (the tied MLM decoder weight is dropped: it is the word-embedding matrix). Only tensors are
loaded (`weights_only=True`), never arbitrary pickled code. Pinned: torch 2.15.0, safetensors 0.8.0.
"""
import os
import sys

import torch
from safetensors.torch import save_file


def convert(src, dst):
    state = torch.load(src, map_location="cpu", weights_only=True)
    if "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    out = {}
    for key, value in state.items():
        if not torch.is_tensor(value) or key.endswith("position_ids") or key.endswith("embeddings.token_type_ids"):
            continue
        if key.endswith("cls.predictions.decoder.weight"):
            continue  # tied to bert.embeddings.word_embeddings.weight
        name = key
        if name.endswith(".gamma"):
            name = name[: -len(".gamma")] + ".weight"
        elif name.endswith(".beta"):
            name = name[: -len(".beta")] + ".bias"
        out[name] = value.detach().to(torch.float32).contiguous().clone()
    tmp = dst + ".partial"
    save_file(out, tmp, metadata={"format": "pt"})
    os.replace(tmp, dst)
    print(f"wrote {dst}: {len(out)} tensors")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
