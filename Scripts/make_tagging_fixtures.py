#!/usr/bin/env python3
"""Label alignment of token classification as transformers' run_ner.py does it, written to
Tests/BertKitTests/Fixtures/tagging/:

  vocab.txt       a small uncased WordPiece vocabulary: the special tokens, every single-character
                  token and "##" continuation of bert-base-uncased (from
                  Tests/TokenizationTests/Fixtures/vocab-uncased.txt) and a few whole words, so
                  most words split into several sub-tokens
  align.conll     CoNLL-2003-style sentences (token, POS, NER tag) with accents, punctuation,
                  CJK, unknown characters, over-long words and words that are empty after
                  normalisation (a control character, a zero-width space)
  alignment.json  label_list (sorted, run_ner's get_label_list), the words of each sentence, and
                  for max_length 6, 12 and 128: each sentence's input_ids, word_ids and the labels
                  of run_ner's tokenize_and_align_labels (label_all_tokens=False: the word's label
                  id on its first token, -100 on its other tokens and on special tokens) from
                  BertTokenizerFast(..., is_split_into_words=True, truncation=True)

Pinned versions: Scripts/requirements.txt (transformers 5.23.0, tokenizers 0.23.3).
    python3 Scripts/make_tagging_fixtures.py
"""
import json
import os
import sys

import tokenizers
import transformers
from transformers import BertTokenizerFast

PINNED = {"tokenizers": "0.23.3", "transformers": "5.23.0"}
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "Tests", "BertKitTests", "Fixtures", "tagging")
SOURCE_VOCAB = os.path.join(ROOT, "Tests", "TokenizationTests", "Fixtures", "vocab-uncased.txt")
WORDS = ["eu", "rejects", "german", "call", "to", "boycott", "british", "lamb", "the", "of", "in", "peter", "new", "york"]

SENTENCES = [
    [("EU", "NNP", "B-ORG"), ("rejects", "VBZ", "O"), ("German", "JJ", "B-MISC"), ("call", "NN", "O"), ("to", "TO", "O"),
     ("boycott", "VB", "O"), ("British", "JJ", "B-MISC"), ("lamb", "NN", "O"), (".", ".", "O")],
    [("Peter", "NNP", "B-PER"), ("Blackburn", "NNP", "I-PER")],
    [("BRUSSELS", "NNP", "B-LOC"), ("1996-08-22", "CD", "O")],
    [("Müller", "NNP", "B-PER"), ("visited", "VBD", "O"), ("São", "NNP", "B-LOC"), ("Paulo", "NNP", "I-LOC"),
     ("and", "CC", "O"), ("Zürich", "NNP", "B-LOC"), ("(", "(", "O"), ("U.S.", "NNP", "B-LOC"), (")", ")", "O")],
    [("東京", "NNP", "B-LOC"), ("\u0007", "SYM", "O"), ("Tokyo-based", "JJ", "B-MISC"), ("\u200b", "SYM", "O"),
     ("firm", "NN", "O")],
    [("😀", "SYM", "O"), ("naïve", "JJ", "O"), ("a" * 101, "NN", "B-MISC"), ("New", "NNP", "B-LOC"), ("York", "NNP", "I-LOC")],
    [("Ångström", "NNP", "B-PER"), ("'s", "POS", "O"), ("law", "NN", "O"), ("€5", "CD", "O"), ("…", ":", "O")],
    [("\u0007", "SYM", "O")],
    [("The", "DT", "O"), ("International", "NNP", "B-ORG"), ("Monetary", "NNP", "I-ORG"), ("Fund", "NNP", "I-ORG"),
     ("said", "VBD", "O"), ("on", "IN", "O"), ("Thursday", "NNP", "O"), ("that", "IN", "O"), ("inflation", "NN", "O"),
     ("in", "IN", "O"), ("the", "DT", "O"), ("euro", "NN", "B-MISC"), ("zone", "NN", "O"), ("fell", "VBD", "O")],
]


def run_ner_labels(word_ids, tags, label_to_id):
    """run_ner.py's tokenize_and_align_labels with label_all_tokens=False, for one sentence."""
    labels, previous = [], None
    for w in word_ids:
        if w is None or w == previous:
            labels.append(-100)
        else:
            labels.append(label_to_id[tags[w]])
        previous = w
    return labels


def main():
    got = {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__}
    if got != PINNED:
        sys.exit(f"installed {got}, pinned {PINNED}: pip install -r Scripts/requirements.txt")
    os.makedirs(OUT, exist_ok=True)
    source = open(SOURCE_VOCAB, encoding="utf-8").read().split("\n")[:-1]
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    kept = specials + [t for t in source if t not in specials and (len(t) == 1 or (t.startswith("##") and len(t) == 3))]
    kept += [w for w in WORDS if w not in kept]
    vocab = os.path.join(OUT, "vocab.txt")
    with open(vocab, "w", encoding="utf-8") as f:
        f.write("\n".join(kept) + "\n")
    with open(os.path.join(OUT, "align.conll"), "w", encoding="utf-8") as f:
        f.write("-DOCSTART- -X- O\n\n")
        f.write("\n\n".join("\n".join(" ".join(row) for row in s) for s in SENTENCES) + "\n")

    words = [[w for w, _, _ in s] for s in SENTENCES]
    tags = [[t for _, _, t in s] for s in SENTENCES]
    label_list = sorted({t for s in tags for t in s})
    label_to_id = {t: i for i, t in enumerate(label_list)}
    tokenizer = BertTokenizerFast(vocab, do_lower_case=True)
    cases = []
    for max_length in [6, 12, 128]:
        x = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length)
        rows = []
        for i in range(len(words)):
            word_ids = x.word_ids(batch_index=i)
            rows.append({"input_ids": x["input_ids"][i], "word_ids": [-1 if w is None else w for w in word_ids],
                         "labels": run_ner_labels(word_ids, tags[i], label_to_id)})
        cases.append({"max_length": max_length, "sentences": rows})
    with open(os.path.join(OUT, "alignment.json"), "w", encoding="utf-8") as f:
        json.dump({"label_list": label_list, "words": words, "cases": cases}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{len(kept)} vocabulary tokens, {len(words)} sentences")


if __name__ == "__main__":
    main()
