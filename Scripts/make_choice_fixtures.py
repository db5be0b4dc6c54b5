#!/usr/bin/env python3
"""Multiple-choice (SWAG) parity fixtures, written to Tests/BertKitTests/Fixtures/choice/.

Five SWAG-style examples written here (not a data set) go through what HF's
examples/pytorch/multiple-choice/run_swag.py does — pairs (sent1, f"{sent2} {ending_k}"),
tokenizer(..., truncation=True, max_length=MAX_LENGTH) (longest first), then
DataCollatorForMultipleChoice (pad the B·N sequences to the longest, reshape [B, N, T]) — and a
small random BertForMultipleChoice (eval mode, eager attention, float32) gives the logits, the loss
and the gradient of every parameter for that batch.

Files:
  swag.csv              the examples with SWAG's release columns (leading unnamed index column,
                        video-id, fold-ind, startphrase, sent1, sent2, gold-source, ending0..3,
                        label), written by Python's csv module with CRLF line ends: quoted fields
                        with commas, doubled quotes and a line break (checked by reading it back
                        with pandas, which is what `datasets` uses for CSV)
  swag.jsonl            the same examples as JSON Lines with SWAG's keys
  generic.jsonl         the same examples as {"context", "question", "endings", "label"}
  vocab.txt             a WordPiece vocabulary built from the examples' words: long words only as
                        two pieces, every 7th word left out ([UNK])
  model/                config.json + model.safetensors (BertForMultipleChoice) + vocab.txt
  reference.json        the examples as read, max_length, every choice's input_ids /
                        token_type_ids / attention_mask, the collated [B, N, T] batch, logits,
                        loss, accuracy (run_swag's compute_metrics)
  BertForMultipleChoice.safetensors  out.logits, loss, grad.<name> of every parameter

Pinned: transformers 5.23.0, torch 2.15.0, tokenizers 0.23.3, numpy 2.4.6 (Scripts/requirements.txt).
    python3 Scripts/make_choice_fixtures.py
"""
import csv
import json
import os
import shutil
from itertools import chain

import numpy as np
import pandas as pd
import torch
import transformers
from safetensors.torch import save_file
from transformers import BertConfig, BertForMultipleChoice, DataCollatorForMultipleChoice
from tokenizers.normalizers import BertNormalizer
from tokenizers.pre_tokenizers import BertPreTokenizer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "BertKitTests", "Fixtures", "choice")
MAX_LENGTH = 24
ENDINGS = [f"ending{i}" for i in range(4)]

EXAMPLES = [
    {"sent1": "A woman is standing in the kitchen, holding a knife.", "sent2": "She",
     "endings": ["slices the tomatoes on a wooden board.", "throws the knife at the ceiling, laughing.",
                 'swims across the "kitchen" pool.', "opens the fridge and takes out milk."], "label": 0},
    {"sent1": "The crowd cheers as the runner\nnears the finish line.", "sent2": "The runner",
     "endings": ["sits down to read a newspaper.", "stops, turns and walks back home.",
                 "raises both arms and crosses the line.", 'shouts "hello, world" at the sky.'], "label": 2},
    {"sent1": "Café owners arrange chairs outside — it's a sunny morning.", "sent2": "A waiter",
     "endings": ["freezes the chairs solid.", "wipes the tables and sets out menus.",
                 "Éclairs fly over the roof, unnoticed.", "is asleep under the umbrella."], "label": 1},
    {"sent1": "In a crowded gymnasium two teams of teenagers warm up before the championship game while "
              "the coaches shout instructions and the parents find their seats in the wooden bleachers.",
     "sent2": "A player",
     "endings": ["bakes a cake.", "paints the ceiling of the gymnasium with enormous brushes and a ladder borrowed "
                 "from the janitor who watches nervously.", "reads quietly.",
                 "dribbles the ball down the court and shoots."], "label": 3},
    {"sent1": "Two dogs chase a ball across the park.", "sent2": "",
     "endings": ["The ball rolls into a pond.", "The dogs write a letter.", "A cloud eats the ball.",
                 "The park sings loudly."], "label": 0},
]


def swag_row(k, e):
    row = {"": str(k), "video-id": f"anetv_fixture{k}", "fold-ind": str(1000 + k),
           "startphrase": (e["sent1"] + " " + e["sent2"]).strip(), "sent1": e["sent1"], "sent2": e["sent2"],
           "gold-source": "gold"}
    row.update({name: e["endings"][i] for i, name in enumerate(ENDINGS)})
    row["label"] = e["label"]
    return row


def write_files():
    rows = [swag_row(k, e) for k, e in enumerate(EXAMPLES)]
    with open(os.path.join(OUT, "swag.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(OUT, "swag.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if k}, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "generic.jsonl"), "w", encoding="utf-8") as f:
        for e in EXAMPLES:
            f.write(json.dumps({"context": e["sent1"], "question": e["sent2"], "endings": e["endings"],
                                "label": e["label"]}, ensure_ascii=False) + "\n")
    # What `datasets` would read (pandas.read_csv): the same strings.
    df = pd.read_csv(os.path.join(OUT, "swag.csv"), keep_default_na=False, dtype=str)
    for k, e in enumerate(EXAMPLES):
        assert df["sent1"][k] == e["sent1"] and df["sent2"][k] == e["sent2"], k
        assert [df[n][k] for n in ENDINGS] == e["endings"], k
        assert int(df["label"][k]) == e["label"], k


def write_vocab(path):
    normalizer, pre = BertNormalizer(lowercase=True), BertPreTokenizer()
    texts = list(chain.from_iterable([e["sent1"], e["sent2"]] + e["endings"] for e in EXAMPLES))
    words = sorted(set(w for t in texts for w, _ in pre.pre_tokenize_str(normalizer.normalize_str(t))))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    for i, w in enumerate(words):
        if i % 7 == 3:
            continue  # left out: [UNK]
        pieces = [w[:4], "##" + w[4:]] if len(w) >= 8 else [w]
        vocab += [p for p in pieces if p not in vocab]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    return len(vocab)


def preprocess(tokenizer, examples):
    """run_swag.py's preprocess_function on a batch of SWAG columns."""
    first_sentences = [[context] * 4 for context in examples["sent1"]]
    question_headers = examples["sent2"]
    second_sentences = [[f"{header} {examples[end][i]}" for end in ENDINGS] for i, header in enumerate(question_headers)]
    first_sentences = list(chain(*first_sentences))
    second_sentences = list(chain(*second_sentences))
    tokenized = tokenizer(first_sentences, second_sentences, truncation=True, max_length=MAX_LENGTH, padding=False)
    return {k: [v[i: i + 4] for i in range(0, len(v), 4)] for k, v in tokenized.items()}


def make_model(vocab_size):
    """A small random BertForMultipleChoice saved to model/ (std 0.1 weights, non-zero biases)."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(7)
    config = BertConfig(vocab_size=vocab_size, hidden_size=16, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=32, max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu",
                        attn_implementation="eager")
    config._attn_implementation = "eager"
    model = BertForMultipleChoice(config).eval()
    with torch.no_grad():  # std 0.1 weights and non-zero biases / LayerNorm: every term exercised
        for n, p in model.named_parameters():
            if n.endswith("bias") or "LayerNorm" in n:
                p.add_(torch.randn(p.shape, generator=gen) * 0.1)
            else:
                p.mul_(5.0)
        # A classifier of std 1: scores that differ by O(1), so the softmax over the choices is far from uniform.
        model.classifier.weight.copy_(torch.randn(model.classifier.weight.shape, generator=gen))
    model.save_pretrained(os.path.join(OUT, "model"), safe_serialization=True)
    gc = os.path.join(OUT, "model", "generation_config.json")
    if os.path.exists(gc):
        os.remove(gc)
    return model


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "model"))
    write_files()
    vocab_size = write_vocab(os.path.join(OUT, "vocab.txt"))
    shutil.copy(os.path.join(OUT, "vocab.txt"), os.path.join(OUT, "model", "vocab.txt"))

    columns = {"sent1": [e["sent1"] for e in EXAMPLES], "sent2": [e["sent2"] for e in EXAMPLES]}
    for i, name in enumerate(ENDINGS):
        columns[name] = [e["endings"][i] for e in EXAMPLES]
    model = make_model(vocab_size)
    # As run_swag: the tokenizer of the model directory (vocab.txt, lowercasing by default).
    tokenizer = transformers.AutoTokenizer.from_pretrained(os.path.join(OUT, "model"))
    assert len(tokenizer) == vocab_size, len(tokenizer)
    features = preprocess(tokenizer, columns)
    rows = [{k: features[k][i] for k in ("input_ids", "token_type_ids", "attention_mask")} | {"label": e["label"]}
            for i, e in enumerate(EXAMPLES)]
    batch = DataCollatorForMultipleChoice(tokenizer)(rows)

    out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                token_type_ids=batch["token_type_ids"], labels=batch["labels"])
    out.loss.backward()
    tensors = {"out.logits": out.logits.detach().contiguous(), "loss": out.loss.detach().reshape(1)}
    for name, p in model.named_parameters():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        tensors["grad." + name] = g.detach().clone().contiguous()
    save_file(tensors, os.path.join(OUT, "BertForMultipleChoice.safetensors"))

    logits = out.logits.detach().numpy()
    preds = np.argmax(logits, axis=1)
    accuracy = (preds == batch["labels"].numpy()).astype(np.float32).mean().item()  # run_swag's compute_metrics
    reference = {
        "max_length": MAX_LENGTH,
        "examples": [{"context": e["sent1"], "header": e["sent2"], "endings": e["endings"], "label": e["label"],
                      "choices": [f"{e['sent2']} {x}" for x in e["endings"]]} for e in EXAMPLES],
        "features": rows,
        "batch": {k: batch[k].tolist() for k in ("input_ids", "token_type_ids", "attention_mask", "labels")},
        "logits": logits.tolist(),
        "loss": out.loss.item(),
        "accuracy": accuracy,
        "tokens": [[tokenizer.convert_ids_to_tokens(ids) for ids in r["input_ids"]] for r in rows],
        "transformers_version": transformers.__version__, "torch_version": torch.__version__,
    }
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for name in sorted(os.listdir(OUT)):
        path = os.path.join(OUT, name)
        if os.path.isfile(path):
            print(f"{name}: {os.path.getsize(path)} bytes")
    print("model/model.safetensors:", os.path.getsize(os.path.join(OUT, "model", "model.safetensors")), "bytes")
    print("accuracy", accuracy, "loss", out.loss.item(), "T", batch["input_ids"].shape)


if __name__ == "__main__":
    main()
