#!/usr/bin/env python3
"""Writes Tests/BertKitTests/Fixtures/distilbert_mlm/embeddings.json: sentence embeddings of a few
texts on the tiny DistilBertForMaskedLM of that directory (written by make_fill_mask_fixtures.py),
its encoder loaded as transformers' DistilBertModel: the first token's last hidden state (cls) and
the mean over the attention mask (mean, sentence-transformers style), each text tokenized alone
with truncation to max_length — the reference for DistilBertModel.sentenceEmbeddings and
`bert encode` on a DistilBERT directory.

    pip install -r Scripts/requirements.txt   # transformers==5.23.0, torch==2.15.0
    python3 Scripts/make_distilbert_embedding_fixtures.py
"""
import json
import os

import torch
import transformers
from transformers import BertTokenizer, DistilBertModel

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "Tests", "BertKitTests", "Fixtures", "distilbert_mlm")
MAX_LENGTH = 16  # the model's max_position_embeddings: the long text is truncated

# Short and long, an empty text, upper case, an unknown word.
TEXTS = ["w3 w5 w9", "", "W7 w8 banana w40", "w1 " * 30, "w60 w61 w62 w63 w64 w65"]


def main() -> None:
    assert transformers.__version__ == "5.23.0", transformers.__version__
    model = DistilBertModel.from_pretrained(MODEL).eval()
    tokenizer = BertTokenizer.from_pretrained(MODEL, model_input_names=["input_ids", "attention_mask"])
    cls, mean = [], []
    with torch.no_grad():
        for text in TEXTS:
            enc = tokenizer(text, truncation=True, max_length=MAX_LENGTH, return_tensors="pt")
            hidden = model(**enc).last_hidden_state[0]  # [T, H]
            cls.append(hidden[0].tolist())
            mask = enc["attention_mask"][0].unsqueeze(-1).float()
            mean.append(((hidden * mask).sum(0) / mask.sum()).tolist())
    out = os.path.join(MODEL, "embeddings.json")
    with open(out, "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "max_length": MAX_LENGTH,
                   "texts": TEXTS, "cls": cls, "mean": mean}, f, indent=1)
        f.write("\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
