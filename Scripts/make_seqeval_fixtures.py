#!/usr/bin/env python3
"""Entity-level metrics of seqeval 1.2.2 in its default mode (conlleval-compatible, the one
transformers' run_ner and `evaluate`'s "seqeval" metric use), written to
Tests/BertKitTests/Fixtures/tagging/seqeval.json.

Each case: gold and predicted tag sequences (lists of sentences) and what seqeval computes:
  entities_true / entities_pred   get_entities of the flattened sequences ([type, start, end])
  micro                           precision_recall_fscore_support(average="micro") → p, r, f1, support
  types                           per type (sorted) precision, recall, f1, support (average=None)
  accuracy                        accuracy_score (token accuracy)
Cases: hand-picked edge cases (I- after O, type changes inside a chunk, IOBES E-/S- tags, the "O"
tag, bare B/I tags, odd tags such as "." or "PER", empty sentences) and random sequences drawn
from IOB2, IOBES and mixed tag pools (random seed 20261204).

Pinned versions: Scripts/requirements.txt (seqeval 1.2.2, numpy 2.4.6).
    python3 Scripts/make_seqeval_fixtures.py
"""
import json
import os
import random
import sys
import warnings
from importlib.metadata import version

import numpy as np
from seqeval.metrics import accuracy_score
from seqeval.metrics.sequence_labeling import get_entities, precision_recall_fscore_support

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "BertKitTests", "Fixtures", "tagging")

HAND = [
    # (gold, pred) as lists of sentences
    ([["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]],
     [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]),
    ([["O", "I-PER", "I-PER", "O", "I-LOC"]], [["O", "B-PER", "I-PER", "O", "B-LOC"]]),  # I- after O starts a chunk
    ([["B-PER", "I-LOC", "I-LOC"]], [["B-PER", "I-PER", "I-LOC"]]),  # type change inside a chunk
    ([["B-PER", "B-PER", "I-PER", "B-LOC"]], [["B-PER", "I-PER", "I-PER", "B-LOC"]]),
    ([["S-PER", "B-LOC", "I-LOC", "E-LOC", "O", "S-ORG"]], [["S-PER", "B-LOC", "E-LOC", "E-LOC", "O", "B-ORG"]]),  # IOBES
    ([["E-PER", "E-PER", "S-PER", "I-PER"]], [["B-PER", "E-PER", "S-PER", "S-PER"]]),
    ([["B-PER", "S-PER", "E-PER", "I-PER"]], [["I-PER", "E-PER", "B-PER", "E-PER"]]),
    ([["O", "O", "O"]], [["O", "O", "O"]]),  # no entity at all: every score 0
    ([["O", "O"]], [["B-PER", "O"]]),  # a predicted entity and no gold one
    ([["B-PER", "O"]], [["O", "O"]]),  # a gold entity never predicted
    ([["B", "I", "O", "B", "B"]], [["B", "I", "O", "I", "B"]]),  # bare tags: type "_"
    ([["B-PER", "I-PER"], ["I-PER", "O"]], [["B-PER", "I-PER"], ["I-PER", "I-PER"]]),  # sentence boundary ends a chunk
    ([[".", "B-X", ".", "I-X"]], [["B-X", ".", "I-X", "."]]),  # "." tags
    ([["PER", "I-PER", "O-PER", "O"]], [["B-PER", "I-PER", "O", "O"]]),  # tags without a hyphen; O with a type
    ([["B-I-X", "I-I-X", "B-", "I-"]], [["B-I-X", "I-X", "B-", "B-"]]),  # types with hyphens; empty types
    ([["B-PER", "I-PER", "E-PER", "S-PER", "O"]], [["B-PER", "I-PER", "E-PER", "S-PER", "O"]]),  # perfect
    ([[], ["B-LOC"]], [[], ["B-LOC"]]),  # an empty sentence
    ([["B-Ä", "I-Ä", "O", "B-中", "E-中"]], [["B-Ä", "O", "O", "B-中", "I-中"]]),  # non-ASCII types
]


def entities(seq):
    return [[t, s, e] for t, s, e in get_entities(seq)]


def case(gold, pred):
    p, r, f, s = precision_recall_fscore_support(gold, pred, average="micro")
    tp, tr, tf, ts = precision_recall_fscore_support(gold, pred, average=None)
    types = sorted({t for t, _, _ in get_entities(gold)} | {t for t, _, _ in get_entities(pred)})
    assert len(types) == len(tp)
    c = {"gold": gold, "pred": pred,
         "entities_true": entities(gold), "entities_pred": entities(pred),
         "micro": [float(p), float(r), float(f), int(s)],
         "types": {t: [float(a), float(b), float(x), int(n)] for t, a, b, x, n in zip(types, tp, tr, tf, ts)}}
    if sum(len(x) for x in gold) > 0:
        c["accuracy"] = float(accuracy_score(gold, pred))
    return c


def random_cases(rng):
    pools = {
        "iob2": ["O"] * 6 + [f"{p}-{t}" for p in "BI" for t in ["PER", "LOC", "ORG", "MISC"]],
        "iobes": ["O"] * 6 + [f"{p}-{t}" for p in "BIES" for t in ["PER", "LOC", "ORG"]],
        "mixed": ["O"] * 4 + [f"{p}-{t}" for p in "BIES" for t in ["A", "B"]] + ["B", "I", ".", "X-A", "O-A"],
    }
    cases = []
    for k in range(60):
        pool = pools[["iob2", "iobes", "mixed"][k % 3]]
        gold, pred = [], []
        for _ in range(rng.randint(1, 6)):
            n = rng.randint(0 if k % 7 == 0 else 1, 14)
            g = [rng.choice(pool) for _ in range(n)]
            # predictions agree with the gold tags about 70 % of the time
            gold.append(g)
            pred.append([t if rng.random() < 0.7 else rng.choice(pool) for t in g])
        cases.append(case(gold, pred))
    return cases


def main():
    if version("seqeval") != "1.2.2":
        sys.exit(f"seqeval {version('seqeval')} installed, 1.2.2 pinned: pip install -r Scripts/requirements.txt")
    np.seterr(all="ignore")
    warnings.simplefilter("ignore")  # "X seems not to be NE tag" and zero-division warnings: the odd tags are on purpose
    os.makedirs(OUT, exist_ok=True)
    cases = [case(g, p) for g, p in HAND] + random_cases(random.Random(20261204))
    with open(os.path.join(OUT, "seqeval.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
