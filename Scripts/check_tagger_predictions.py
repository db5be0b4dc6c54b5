#!/usr/bin/env python3
"""Checks `bert predict --task tag` against transformers: the fine-tuned model directory loads as
BertForTokenClassification (or DistilBertForTokenClassification: AutoModelForTokenClassification
by config.json's model_type) with no missing or unexpected keys, and transformers — words encoded
with is_split_into_words=True, truncation to MAX_LENGTH, each word's tag the arg-max at its first
token, a word with no token tagged O — predicts the same tag for every word as the Swift output
file, and seqeval gives the same metrics as the JSON `bert predict` printed.

    bert finetune tag --model M --train train.conll --eval dev.conll --output run ...
    bert predict --task tag --model run/model --input dev.conll --output pred.txt --max-length 24 > metrics.json
    python3 Scripts/check_tagger_predictions.py run/model dev.conll pred.txt metrics.json 24

Pinned: transformers 5.23.0, seqeval 1.2.2.
"""
import json
import sys

import torch
from seqeval.metrics import accuracy_score
from seqeval.metrics.sequence_labeling import precision_recall_fscore_support
from transformers import AutoModelForTokenClassification, BertTokenizerFast


def read_conll(path):
    sentences, words, tags = [], [], []
    for line in open(path, encoding="utf-8").read().split("\n"):
        fields = [f for f in line.replace("\t", " ").split(" ") if f]
        if not fields or fields[0] == "-DOCSTART-":
            if words:
                sentences.append((words, tags))
            words, tags = [], []
            continue
        words.append(fields[0])
        tags.append(fields[-1])
    if words:
        sentences.append((words, tags))
    return sentences


def main(model_dir, conll, predictions, metrics_json, max_length):
    model, info = AutoModelForTokenClassification.from_pretrained(model_dir, output_loading_info=True, attn_implementation="eager")
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
    if problems:
        sys.exit(f"FAIL: {problems}")
    model.eval()
    tokenizer = BertTokenizerFast.from_pretrained(model_dir)
    sentences = read_conll(conll)
    predicted = []
    for words, _ in sentences:
        x = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length, return_tensors="pt")
        if model.config.model_type == "distilbert":
            x.pop("token_type_ids", None)  # DistilBERT has no segment embeddings
        with torch.no_grad():
            ids = model(**x).logits[0].argmax(-1).tolist()
        tags, previous = ["O"] * len(words), None
        for k, w in enumerate(x.word_ids(0)):
            if w is not None and w != previous:
                tags[w] = model.config.id2label[ids[k]]
            previous = w
        predicted.append(tags)
    swift = [[line.split("\t")[1] for line in block.split("\n") if line]
             for block in open(predictions, encoding="utf-8").read().split("\n\n")]
    differ = sum(a != b for s, t in zip(swift, predicted) for a, b in zip(s, t))
    total = sum(len(t) for t in predicted)
    print(f"{len(predicted)} sentences, {total} words: {differ} predicted tags differ from transformers")
    gold = [t for _, t in sentences]
    p, r, f, _ = precision_recall_fscore_support(gold, predicted, average="micro")
    expected = {"precision": float(p), "recall": float(r), "f1": float(f), "accuracy": float(accuracy_score(gold, predicted))}
    got = json.load(open(metrics_json))
    worst = max(abs(got[k] - v) for k, v in expected.items())
    print(f"seqeval on transformers' predictions: {expected}; max |Δ| to bert predict's metrics {worst:.1e}")
    if differ or worst > 1e-12 or len(swift) != len(predicted):
        sys.exit("FAIL")
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
