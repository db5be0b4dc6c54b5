#!/usr/bin/env python3
"""The Hugging Face side of the tokenizer benchmark: does what `bert tokenize` does, with HF
`tokenizers` (Rust, through Python): read standard input, split it on "\\n" only, decode with
U+FFFD replacement, encode every line (encode_batch: all cores), and write one
{"ids","type_ids","offsets"} JSON object per line, offsets in code points. No truncation, no
padding. The time spent in each phase goes to standard error.

  python3 Scripts/bench_tokenizer.py --vocab vocab.txt < text > out.jsonl
  python3 Scripts/bench_tokenizer.py --tokenizer tokenizer.json [--pairs] [--sequential] < text

--sequential encodes line by line with `encode` (one thread) instead of `encode_batch`.
"""
import argparse
import json
import sys
import time

import tokenizers
from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer


def main():
    ap = argparse.ArgumentParser()
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--vocab")
    src.add_argument("--tokenizer")
    ap.add_argument("--cased", action="store_true")
    ap.add_argument("--pairs", action="store_true")
    ap.add_argument("--sequential", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    if args.vocab:
        tok = BertWordPieceTokenizer(args.vocab, lowercase=not args.cased)._tokenizer
    else:
        tok = Tokenizer.from_file(args.tokenizer)
    tok.no_truncation()
    tok.no_padding()
    t1 = time.perf_counter()
    data = sys.stdin.buffer.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    texts = [l.decode("utf-8", "replace") for l in lines]
    inputs = [tuple(t.split("\t", 1)) for t in texts] if args.pairs else texts
    t2 = time.perf_counter()
    if args.sequential:
        encodings = [tok.encode(*x) if args.pairs else tok.encode(x) for x in inputs]
    else:
        encodings = tok.encode_batch(inputs)
    t3 = time.perf_counter()
    out = "".join(json.dumps({"ids": e.ids, "type_ids": e.type_ids, "offsets": e.offsets}, separators=(",", ":")) + "\n"
                  for e in encodings)
    sys.stdout.write(out)
    sys.stdout.flush()
    t4 = time.perf_counter()
    mb = len(data) / 1e6
    print(f"tokenizers {tokenizers.__version__}: load {t1 - t0:.3f}s read {t2 - t1:.3f}s "
          f"encode {t3 - t2:.3f}s ({mb / (t3 - t2):.2f} MB/s) json {t4 - t3:.3f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
