#!/usr/bin/env python3
"""End-to-end check of Scripts/convert_tf_checkpoint.py against a genuine TF1 checkpoint.

Pinned: tensorflow-cpu 2.21.0 (optional, not in CI), torch 2.15.0, transformers 5.23.0,
safetensors 0.8.0, numpy 2.4.6 (Scripts/requirements.txt).

    pip install tensorflow-cpu==2.21.0
    python3 Scripts/check_tf_converter.py [WORK_DIR]     # default: a temporary directory

1. Builds a tiny BertForPreTraining (2 layers, hidden 24, 3 heads, intermediate 37, vocab 99)
   and overwrites every parameter, LayerNorm gammas/betas and biases included, with distinct
   random values (so a gamma/beta or kernel-orientation mix-up cannot go unnoticed).
2. Writes it as a TF1 checkpoint with tf.compat.v1 variables and tf.compat.v1.train.Saver, under
   the variable names and layouts of google-research/bert (modeling.py, run_pretraining.py,
   optimization.py): dense kernels [in, out], LayerNorm gamma/beta, embedding tables
   [rows, hidden], `cls/predictions/output_bias` [vocab], `cls/seq_relationship/output_weights`
   [2, hidden] (not transposed), plus `<var>/adam_m`, `<var>/adam_v` slots and `global_step`,
   and a bert_config.json with the original keys. tf.train.list_variables must list exactly
   those names.
3. Runs the converter as a subprocess, copies bert_config.json to config.json, and loads the
   result into transformers: `from_pretrained` must report no missing / unexpected / mismatched
   keys, and `load_state_dict` into a fresh model must miss only the two tied decoder keys.
4. Compares every tensor with the original (max |diff| must be 0) and the prediction / NSP
   logits of both models on the same batch (must be equal).
5. Checks the converter's errors: a missing, a garbled and a truncated checkpoint must fail with
   a one-line message and leave no output file.

TensorFlow runs only in a child process (`--write-tf`): TF 2.21 and the triton that torch /
transformers import lazily both bundle LLVM, and loading triton after TF aborts the process
("LLVM ERROR: inconsistency in registered CommandLine options").

Exits non-zero on any mismatch; prints SKIP and exits 0 when tensorflow is not importable.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from safetensors.numpy import load_file as load_numpy, save_file as save_numpy

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERTER = os.path.join(HERE, "convert_tf_checkpoint.py")
NO_TENSORFLOW = 3  # exit status of the --write-tf child when tensorflow cannot be imported

# google-research/bert's bert_config.json keys (no model_type: HF's BertConfig reads it as is).
GOOGLE_CONFIG = {
    "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 24,
    "initializer_range": 0.02,
    "intermediate_size": 37,
    "max_position_embeddings": 40,
    "num_attention_heads": 3,
    "num_hidden_layers": 2,
    "type_vocab_size": 2,
    "vocab_size": 99,
}
TIED = {"cls.predictions.decoder.weight", "cls.predictions.decoder.bias"}
# Names and shapes the checkpoint must hold, spelled out as google-research/bert writes them.
SPOT_CHECKS = [
    ("bert/embeddings/word_embeddings", [99, 24]),
    ("bert/embeddings/position_embeddings", [40, 24]),
    ("bert/embeddings/token_type_embeddings", [2, 24]),
    ("bert/embeddings/LayerNorm/gamma", [24]),
    ("bert/embeddings/LayerNorm/beta", [24]),
    ("bert/encoder/layer_1/attention/self/query/kernel", [24, 24]),
    ("bert/encoder/layer_1/attention/output/LayerNorm/gamma", [24]),
    ("bert/encoder/layer_0/intermediate/dense/kernel", [24, 37]),
    ("bert/encoder/layer_0/output/dense/kernel", [37, 24]),
    ("bert/pooler/dense/kernel", [24, 24]),
    ("cls/predictions/transform/dense/kernel", [24, 24]),
    ("cls/predictions/transform/LayerNorm/beta", [24]),
    ("cls/predictions/output_bias", [99]),
    ("cls/seq_relationship/output_weights", [2, 24]),
    ("cls/seq_relationship/output_bias", [2]),
    ("cls/seq_relationship/output_weights/adam_m", [2, 24]),
    ("bert/encoder/layer_0/output/dense/kernel/adam_v", [37, 24]),
    ("global_step", []),
]


def google_name(hf: str) -> tuple[str, bool]:
    """The google-research/bert variable for a HF parameter, and whether TF stores it transposed.

    Written from the TF side (scopes `layer_%d`, tf.layers.dense `kernel`/`bias`,
    tf.contrib.layers.layer_norm `gamma`/`beta`), independently of the converter's mapping.
    """
    special = {
        "cls.predictions.bias": "cls/predictions/output_bias",
        "cls.seq_relationship.weight": "cls/seq_relationship/output_weights",
        "cls.seq_relationship.bias": "cls/seq_relationship/output_bias",
    }
    if hf in special:
        return special[hf], False
    parts = hf.split(".")
    if parts[-2].endswith("_embeddings"):  # bert.embeddings.word_embeddings.weight: a plain table
        return "/".join(parts[:-1]), False
    path = "/".join(parts[:-1]).replace("/layer/", "/layer_", 1)
    if parts[-2] == "LayerNorm":
        return path + ("/gamma" if parts[-1] == "weight" else "/beta"), False
    return path + ("/kernel" if parts[-1] == "weight" else "/bias"), parts[-1] == "weight"


# ---------------------------------------------------------------- child process: TensorFlow only

def write_tf_checkpoint(arrays_path: str, prefix: str) -> int:
    """Writes the arrays in `arrays_path` (Google names) with a TF1 Saver at `prefix`, adding
    Adam slots and global_step, and dumps tf.train.list_variables to `prefix`.variables.json."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf
    except ImportError as e:
        print(f"cannot import tensorflow: {e}", file=sys.stderr)
        return NO_TENSORFLOW
    params = load_numpy(arrays_path)
    rng = np.random.default_rng(1)
    graph = tf.Graph()
    with graph.as_default():
        for name in sorted(params):
            array = params[name]
            tf.compat.v1.get_variable(name, initializer=tf.constant(array), dtype=tf.float32)
            # optimization.py's AdamWeightDecayOptimizer names its slots param_name + "/adam_m|v".
            for slot in ("adam_m", "adam_v"):
                noise = rng.standard_normal(array.shape).astype(np.float32)
                tf.compat.v1.get_variable(f"{name}/{slot}", initializer=tf.constant(noise), dtype=tf.float32)
        step = tf.compat.v1.train.get_or_create_global_step()
        assign = step.assign(12345)
        saver = tf.compat.v1.train.Saver()
        threads = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        with tf.compat.v1.Session(graph=graph, config=threads) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            sess.run(assign)
            saver.save(sess, prefix)
    listed = {name: shape for name, shape in tf.train.list_variables(prefix)}
    with open(prefix + ".variables.json", "w") as f:
        json.dump({"tensorflow": tf.__version__, "variables": listed}, f)
    return 0


# ---------------------------------------------------------------- parent process: torch / transformers

def run_converter(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, CONVERTER, *args], capture_output=True, text=True)


def check_errors(work: str, good: str) -> list[str]:
    """A missing, garbled or truncated checkpoint must fail with a message and leave no output behind."""
    failures = []
    garbled = os.path.join(work, "garbled", "bert_model.ckpt")
    os.makedirs(os.path.dirname(garbled))
    for suffix in (".index", ".data-00000-of-00001"):
        with open(garbled + suffix, "wb") as f:
            f.write(b"this is not a tensorflow checkpoint\x00" * 8)
    truncated = os.path.join(work, "truncated", "bert_model.ckpt")  # intact index, data cut in half
    os.makedirs(os.path.dirname(truncated))
    shutil.copy(good + ".index", truncated + ".index")
    with open(good + ".data-00000-of-00001", "rb") as f:
        data = f.read()
    with open(truncated + ".data-00000-of-00001", "wb") as f:
        f.write(data[: len(data) // 2])
    cases = (("missing", os.path.join(work, "nowhere", "bert_model.ckpt")), ("garbled", garbled), ("truncated", truncated))
    for label, src in cases:
        out_dir = os.path.join(work, f"out-{label}")
        os.makedirs(out_dir)
        r = run_converter(src, os.path.join(out_dir, "model.safetensors"))
        last = (r.stderr.strip().splitlines() or ["<no stderr>"])[-1]
        left = os.listdir(out_dir)
        print(f"{label} checkpoint: exit {r.returncode}, files left {left}, stderr ends {last!r}")
        if r.returncode == 0 or left or not last.startswith("error:"):
            failures.append(f"{label} checkpoint not rejected cleanly")
    return failures


def main(work: str) -> int:
    import torch
    import transformers
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForPreTraining

    torch.set_num_threads(1)
    config = BertConfig(**GOOGLE_CONFIG)
    torch.manual_seed(0)
    model = BertForPreTraining(config)
    with torch.no_grad():
        for _, p in model.named_parameters():  # tied parameters are listed once
            p.copy_(torch.randn_like(p) * 0.5)
    original = {k: v.detach().clone() for k, v in model.state_dict().items()}

    params, transposed_names = {}, 0
    for hf, tensor in original.items():
        if hf in TIED:
            continue
        name, transposed = google_name(hf)
        array = tensor.numpy()
        params[name] = np.ascontiguousarray(array.T if transposed else array)
        transposed_names += transposed

    ckpt_dir = os.path.join(work, "tf")
    os.makedirs(ckpt_dir)
    prefix = os.path.join(ckpt_dir, "bert_model.ckpt")
    arrays_path = os.path.join(work, "google_arrays.safetensors")
    save_numpy(params, arrays_path)
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--write-tf", arrays_path, prefix])
    if child.returncode == NO_TENSORFLOW:
        print("SKIP: tensorflow is not importable (pip install tensorflow-cpu==2.21.0 to run this check)")
        return 0
    if child.returncode != 0:
        print(f"FAIL: writing the TF checkpoint exited with {child.returncode}")
        return 1
    with open(os.path.join(ckpt_dir, "bert_config.json"), "w") as f:
        json.dump(GOOGLE_CONFIG, f, indent=2)
    with open(prefix + ".variables.json") as f:
        written = json.load(f)
    listed = written["variables"]
    print(f"tensorflow {written['tensorflow']}, torch {torch.__version__}, "
          f"transformers {transformers.__version__}, numpy {np.__version__}")
    print(f"TF checkpoint: {len(listed)} variables = {len(params)} weights ({transposed_names} kernels stored "
          f"[in, out]) + {2 * len(params)} adam_m/adam_v slots + global_step")

    failures = []
    expected = set(params) | {f"{n}/{s}" for n in params for s in ("adam_m", "adam_v")} | {"global_step"}
    if set(listed) != expected:
        failures.append(f"checkpoint names: extra {sorted(set(listed) - expected)[:5]}, "
                        f"missing {sorted(expected - set(listed))[:5]}")
    for name, shape in SPOT_CHECKS:
        if listed.get(name) != shape:
            failures.append(f"{name}: shape {listed.get(name)} in the checkpoint, expected {shape}")

    out_dir = os.path.join(work, "converted")
    os.makedirs(out_dir)
    r = run_converter(prefix, os.path.join(out_dir, "model.safetensors"))
    print("converter:", r.stdout.strip())
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
        print(f"FAIL: converter exited with {r.returncode}")
        return 1
    shutil.copy(os.path.join(ckpt_dir, "bert_config.json"), os.path.join(out_dir, "config.json"))

    converted = load_file(os.path.join(out_dir, "model.safetensors"))
    want_keys = set(original) - TIED
    if set(converted) != want_keys:
        failures.append(f"safetensors keys: extra {sorted(set(converted) - want_keys)}, "
                        f"missing {sorted(want_keys - set(converted))}")

    # Strict loading, both ways transformers offers (both raise on a shape mismatch).
    models = []
    try:
        loaded, info = BertForPreTraining.from_pretrained(out_dir, output_loading_info=True,
                                                          attn_implementation="eager")
        problems = {k: v for k, v in info.items() if v}
        print(f"from_pretrained: loading problems {problems or 'none'}")
        if problems:
            failures.append(f"from_pretrained: {problems}")
        models.append(("from_pretrained", loaded.eval()))
    except Exception as e:
        failures.append(f"from_pretrained raised {type(e).__name__}: {str(e).strip()[:300]}")
    try:
        fresh = BertForPreTraining(BertConfig.from_pretrained(out_dir, attn_implementation="eager")).eval()
        result = fresh.load_state_dict(converted, strict=False)
        print(f"load_state_dict: missing {sorted(result.missing_keys)}, unexpected {sorted(result.unexpected_keys)}")
        if set(result.missing_keys) != TIED or result.unexpected_keys:
            failures.append("load_state_dict: keys other than the tied decoder are missing or unexpected")
        models.append(("load_state_dict", fresh))
    except Exception as e:
        failures.append(f"load_state_dict raised {type(e).__name__}: {str(e).strip()[:300]}")
    reference = BertForPreTraining(BertConfig.from_pretrained(out_dir, attn_implementation="eager")).eval()
    reference.load_state_dict(original, strict=True)  # the original weights, same attention code

    for label, m in models:
        if m.cls.predictions.decoder.weight.data_ptr() != m.bert.embeddings.word_embeddings.weight.data_ptr():
            failures.append(f"{label}: decoder weight is not tied to the word embeddings")
        state = m.state_dict()
        worst, worst_name = -1.0, None
        for k, v in original.items():
            if state[k].shape != v.shape:
                failures.append(f"{label} {k}: shape {tuple(state[k].shape)}, original {tuple(v.shape)}")
                continue
            d = (state[k] - v).abs().max().item()
            if d > worst:
                worst, worst_name = d, k
        where = f" (largest at {worst_name})" if worst > 0 else ""
        print(f"{label}: {len(original)} tensors, max |diff| {worst:.3g}{where}")
        if worst != 0.0:
            failures.append(f"{label}: tensors differ (max |diff| {worst} at {worst_name})")

    g = torch.Generator().manual_seed(2)
    ids = torch.randint(0, config.vocab_size, (3, 11), generator=g)
    types = torch.randint(0, config.type_vocab_size, (3, 11), generator=g)
    mask = torch.ones(3, 11, dtype=torch.long)
    mask[1, 7:] = 0
    with torch.no_grad():
        want = reference(input_ids=ids, token_type_ids=types, attention_mask=mask)
        for label, m in models:
            got = m(input_ids=ids, token_type_ids=types, attention_mask=mask)
            e1 = (got.prediction_logits - want.prediction_logits).abs().max().item()
            e2 = (got.seq_relationship_logits - want.seq_relationship_logits).abs().max().item()
            print(f"{label}: max |diff| prediction logits {e1:.3g}, NSP logits {e2:.3g}")
            if e1 != 0.0 or e2 != 0.0:
                failures.append(f"{label}: logits differ ({e1}, {e2})")

    failures += check_errors(work, prefix)
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("OK: TF checkpoint -> model.safetensors -> transformers is exact; adam slots and global_step skipped")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--write-tf":
        sys.exit(write_tf_checkpoint(sys.argv[2], sys.argv[3]))
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        sys.exit(__doc__)
    if len(sys.argv) == 2:
        os.makedirs(sys.argv[1], exist_ok=True)
        sys.exit(main(tempfile.mkdtemp(prefix="check_tf_", dir=sys.argv[1])))
    with tempfile.TemporaryDirectory(prefix="check_tf_") as work_dir:
        sys.exit(main(work_dir))
