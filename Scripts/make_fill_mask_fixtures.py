"""Writes Tests/BertKitTests/Fixtures/fill_mask.json: what transformers' fill-mask pipeline
returns for a few texts on the tiny BertForPreTraining checkpoint in
Tests/BertKitTests/Fixtures/tiny_gelu (loaded as BertForMaskedLM, with the BertTokenizer that
`from_pretrained` makes of its vocab.txt) — the reference for `FillMask` and `bert fill-mask`.

    pip install -r Scripts/requirements.txt   # transformers==5.23.0, torch==2.15.0
    python3 Scripts/make_fill_mask_fixtures.py
"""
import json
import os

import torch
import transformers
from transformers import BertForMaskedLM, BertTokenizer, pipeline

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "tiny_gelu")
OUT = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "fill_mask.json")

# One mask, a mask first and last, several masks, upper case and an unknown word.
TEXTS = [
    "w3 w5 [MASK] w9",
    "[MASK] w10 w11 w12 w13 w14",
    "w1 w2 w3 w4 [MASK]",
    "[MASK] w1 [MASK]",
    "W7 w8 banana [MASK] w40 w41 w42",
]
TOP_K = [5, 1, 3, 2, 7]


def main() -> None:
    torch.manual_seed(0)
    model = BertForMaskedLM.from_pretrained(MODEL).eval()
    tokenizer = BertTokenizer.from_pretrained(MODEL)
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, device="cpu")
    cases = []
    for text, k in zip(TEXTS, TOP_K):
        cases.append({"text": text, "top_k": k, "output": fill(text, top_k=k)})
    with open(OUT, "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
