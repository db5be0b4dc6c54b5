"""Writes Tests/BertKitTests/Fixtures/fill_mask.json: what transformers' fill-mask pipeline
returns for a few texts on the tiny BertForPreTraining checkpoint in
Tests/BertKitTests/Fixtures/tiny_gelu (loaded as BertForMaskedLM, with the BertTokenizer that
`from_pretrained` makes of its vocab.txt) — the reference for `FillMask` and `bert fill-mask`.
Then the same for DistilBERT: a tiny random DistilBertForMaskedLM (seeded, over tiny_gelu's
vocab.txt) saved to Tests/BertKitTests/Fixtures/distilbert_mlm/ with its own fill_mask.json
(not under distilbert/, which make_distilbert_fixtures.py rewrites whole).

    pip install -r Scripts/requirements.txt   # transformers==5.23.0, torch==2.15.0
    python3 Scripts/make_fill_mask_fixtures.py
"""
import json
import os
import shutil

import torch
import transformers
from transformers import BertForMaskedLM, BertTokenizer, DistilBertConfig, DistilBertForMaskedLM, pipeline

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "tiny_gelu")
OUT = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "fill_mask.json")
DISTIL = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "distilbert_mlm")

# One mask, a mask first and last, several masks, upper case and an unknown word.
TEXTS = [
    "w3 w5 [MASK] w9",
    "[MASK] w10 w11 w12 w13 w14",
    "w1 w2 w3 w4 [MASK]",
    "[MASK] w1 [MASK]",
    "W7 w8 banana [MASK] w40 w41 w42",
]
TOP_K = [5, 1, 3, 2, 7]


def write_cases(model, tokenizer, out) -> None:
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, device="cpu")
    cases = []
    for text, k in zip(TEXTS, TOP_K):
        cases.append({"text": text, "top_k": k, "output": fill(text, top_k=k)})
    with open(out, "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {out}")


def main() -> None:
    torch.manual_seed(0)
    model = BertForMaskedLM.from_pretrained(MODEL).eval()
    write_cases(model, BertTokenizer.from_pretrained(MODEL), OUT)

    # DistilBERT: no token types (its tokenizer returns input_ids and attention_mask only).
    torch.manual_seed(0)
    config = DistilBertConfig(vocab_size=99, dim=12, n_layers=2, n_heads=3, hidden_dim=37, max_position_embeddings=16,
                              initializer_range=0.2, dropout=0.0, attention_dropout=0.0)
    distil = DistilBertForMaskedLM(config).eval()
    os.makedirs(DISTIL, exist_ok=True)
    distil.save_pretrained(DISTIL)
    shutil.copy(os.path.join(MODEL, "vocab.txt"), os.path.join(DISTIL, "vocab.txt"))
    tokenizer = BertTokenizer.from_pretrained(DISTIL, model_input_names=["input_ids", "attention_mask"])
    write_cases(DistilBertForMaskedLM.from_pretrained(DISTIL).eval(), tokenizer, os.path.join(DISTIL, "fill_mask.json"))


if __name__ == "__main__":
    main()
