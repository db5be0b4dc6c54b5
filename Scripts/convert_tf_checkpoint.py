#!/usr/bin/env python3
"""Converts a Google BERT TensorFlow checkpoint (google-research/bert) to `model.safetensors`
with Hugging Face BertForPreTraining names.

    pip install tensorflow-cpu==2.21.0      # only needed to read the TF checkpoint
    python3 Scripts/convert_tf_checkpoint.py uncased_L-12_H-768_A-12/bert_model.ckpt OUT_DIR/model.safetensors
    cp uncased_L-12_H-768_A-12/bert_config.json OUT_DIR/config.json

CHECKPOINT is the prefix shared by `bert_model.ckpt.index` and `bert_model.ckpt.data-*`; the
`.index` / `.data-*` / `.meta` file itself, or a directory holding exactly one checkpoint, works
too. Rules (as transformers' load_tf_weights_in_bert): scopes map to module names
(`bert/encoder/layer_3/attention/self/query/kernel` → `bert.encoder.layer.3.attention.self.query.weight`);
`kernel` → `weight` **transposed** to [out, in]; `gamma`/`beta` → `weight`/`bias`;
`cls/predictions/output_bias` → `cls.predictions.bias`; `cls/seq_relationship/output_weights` →
`cls.seq_relationship.weight` (not transposed: Google stores it [2, hidden]) and `output_bias` →
`cls.seq_relationship.bias`; `*_embeddings` tables → `*_embeddings.weight`; optimizer slots
(`adam_m`, `adam_v`) and `global_step` are skipped; every tensor is written as float32. The tied
MLM decoder (`cls.predictions.decoder.*`) is not written: transformers ties it to the word
embeddings and `cls.predictions.bias`. bert_config.json has the keys config.json needs (note the
original checkpoints use type_vocab_size 2 or 16 as written in that file).

The output is written to a temporary file beside OUTPUT and renamed, so OUTPUT is either complete
or untouched. Only tensorflow, numpy and safetensors are imported (not torch: the triton that
torch can load lazily aborts a process that already loaded TensorFlow). Checked end to end by
Scripts/check_tf_converter.py. Pinned: tensorflow-cpu 2.21.0, safetensors 0.8.0, numpy 2.4.6.
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import sys
import tempfile

import numpy as np
from safetensors.numpy import save_file

SKIPPED_PARTS = {"adam_v", "adam_m", "AdamWeightDecayOptimizer", "AdamWeightDecayOptimizer_1", "global_step"}


class ConversionError(Exception):
    """A problem with the input or output path, reported as one line without a traceback."""


def hf_name(tf_name: str) -> tuple[str | None, bool]:
    """The Hugging Face name for a Google variable (None when skipped) and whether to transpose it."""
    parts = tf_name.split("/")
    if any(p in SKIPPED_PARTS for p in parts):
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


def checkpoint_prefix(path: str) -> str:
    """The checkpoint prefix for `path` (a prefix, one of its files, or a directory)."""
    path = os.path.normpath(path)
    if os.path.isdir(path):
        indexes = sorted(glob.glob(os.path.join(glob.escape(path), "*.index")))
        if len(indexes) != 1:
            found = ", ".join(os.path.basename(i) for i in indexes) or "no *.index file"
            raise ConversionError(f"{path} is a directory with {found}; pass the checkpoint prefix, "
                                  f"e.g. {os.path.join(path, 'bert_model.ckpt')}")
        return indexes[0][: -len(".index")]
    for suffix in (".index", ".meta"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    m = re.fullmatch(r"(.*)\.data-\d+-of-\d+", path)
    if m:
        return m.group(1)
    if not os.path.exists(path + ".index"):
        raise ConversionError(f"no TensorFlow checkpoint at {path}: {path}.index does not exist "
                              f"(pass the prefix shared by NAME.index and NAME.data-*, e.g. .../bert_model.ckpt)")
    return path


def read_checkpoint(prefix: str) -> tuple[dict[str, np.ndarray], list[str]]:
    """HF-named float32 arrays from the checkpoint at `prefix`, and the skipped variable names."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TF's start-up banner out of the output
    try:
        import tensorflow as tf  # deferred: heavy, and only this step needs it
    except ImportError as e:
        raise ConversionError(f"reading a TF checkpoint needs tensorflow (pip install tensorflow-cpu==2.21.0): {e}")
    try:
        reader = tf.train.load_checkpoint(prefix)
        shapes = reader.get_variable_to_shape_map()
        out: dict[str, np.ndarray] = {}
        skipped: list[str] = []
        for tf_name in sorted(shapes):
            name, transpose = hf_name(tf_name)
            if name is None:
                skipped.append(tf_name)
                continue
            if name in out:
                raise ConversionError(f"two checkpoint variables map to {name} (second: {tf_name})")
            array = np.asarray(reader.get_tensor(tf_name)).astype(np.float32)
            out[name] = np.ascontiguousarray(array.T if transpose else array)
    except ConversionError:
        raise
    except Exception as e:  # tf.errors.OpError (bad index, CRC mismatch), IndexError (truncated data), ...
        first = (str(e).strip().splitlines() or [""])[0]
        raise ConversionError(f"cannot read TensorFlow checkpoint {prefix} (missing or corrupt file?): "
                              f"{type(e).__name__}: {first}")
    if not out:
        raise ConversionError(f"{prefix} holds no BERT variables (only {len(skipped)} optimizer/step variables)")
    return out, skipped


def write_atomically(tensors: dict[str, np.ndarray], dst: str) -> None:
    """Writes `tensors` to `dst` through a temporary file in the same directory and a rename."""
    directory = os.path.dirname(os.path.abspath(dst))
    if not os.path.isdir(directory):
        raise ConversionError(f"output directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(dst) + ".", suffix=".partial", dir=directory)
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata={"format": "pt"})
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def convert(ckpt: str, dst: str) -> None:
    prefix = checkpoint_prefix(ckpt)
    tensors, skipped = read_checkpoint(prefix)
    write_atomically(tensors, dst)
    print(f"wrote {dst}: {len(tensors)} tensors ({len(skipped)} optimizer/step variables skipped)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", help="TF checkpoint prefix, e.g. uncased_L-12_H-768_A-12/bert_model.ckpt")
    parser.add_argument("output", help="model.safetensors to write")
    args = parser.parse_args(argv)
    try:
        convert(args.checkpoint, args.output)
    except (ConversionError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
