#!/usr/bin/env python3
"""Converts a Google BERT TensorFlow checkpoint (google-research/bert) to `model.safetensors`
with Hugging Face BertForPreTraining names.

    pip install tensorflow-cpu      # only needed to read the TF checkpoint
    python3 Scripts/convert_tf_checkpoint.py uncased_L-12_H-768_A-12/bert_model.ckpt OUT_DIR/model.safetensors

Rules (as transformers' load_tf_weights_in_bert): scopes map to module names
(`bert/encoder/layer_3/attention/self/query/kernel` → `bert.encoder.layer.3.attention.self.query.weight`);
`kernel` → `weight` **transposed** to [out, in]; `gamma`/`beta` → `weight`/`bias`;
`cls/predictions/output_bias` → `cls.predictions.bias`; `cls/seq_relationship/output_weights` →
`cls.seq_relationship.weight` (not transposed) and `output_bias` → `cls.seq_relationship.bias`;
`*_embeddings` tables → `*_embeddings.weight`; optimizer slots (`adam_m`, `adam_v`) and
`global_step` are skipped. Copy bert_config.json to config.json next to the output (same keys;
note the original checkpoints use type_vocab_size 2 or 16 as written in that file).
"""
import os
import re
import sys

import numpy as np
import torch
from safetensors.torch import save_file


def hf_name(tf_name):
    parts = tf_name.split("/")
    if any(p in ("adam_v", "adam_m", "AdamWeightDecayOptimizer", "AdamWeightDecayOptimizer_1", "global_step")
           for p in parts):
        return None, False
    out = []
    transpose = False
    for p in parts:
        m = re.fullmatch(r"layer_(\d+)", p)
        if m:
            out += ["layer", m.group(1)]
        elif p == "kernel":
            out.append("weight")
            transpose = True
        elif p in ("gamma", "output_weights"):
            out.append("weight")
        elif p in ("beta", "output_bias"):
            out.append("bias")
        else:
            out.append(p)
    name = ".".join(out)
    if name.endswith("_embeddings"):
        name += ".weight"
    return name, transpose


def convert(ckpt, dst):
    import tensorflow as tf  # noqa: deferred, heavy
    out = {}
    for tf_name, _shape in tf.train.list_variables(ckpt):
        name, transpose = hf_name(tf_name)
        if name is None:
            continue
        array = tf.train.load_variable(ckpt, tf_name).astype(np.float32)
        if transpose:
            array = np.ascontiguousarray(array.T)
        out[name] = torch.from_numpy(array).contiguous()
    tmp = dst + ".partial"
    save_file(out, tmp, metadata={"format": "pt"})
    os.replace(tmp, dst)
    print(f"wrote {dst}: {len(out)} tensors")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
