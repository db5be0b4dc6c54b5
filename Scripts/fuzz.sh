#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (their own package, depending on this one by path) with
# AddressSanitizer and runs each for a given time, one after the other.
#
#   bash Scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET ...]
#
# Targets (default: all): FuzzSafetensors FuzzConfig FuzzVocab FuzzTokenizerJSON FuzzEncode
#   FuzzPretrainingText FuzzInstanceLines FuzzShard FuzzClassificationTSV FuzzCoNLL FuzzMultipleChoice
#   FuzzSquad
# Corpora grow in .cache/fuzz/<target>/ (seeded from the test fixtures); a crash leaves
# Fuzz/crash-* / leak-* / timeout-* files and makes the script exit non-zero. Each run ends with
# libFuzzer's final stats; the script prints one summary line per target:
#   <target>: <executions> executions in <s> s, coverage <edges> edges, <features> features, corpus <n>
#
# Flags: -sanitize=fuzzer,address in ONE -Xswiftc (SwiftPM's --sanitize=fuzzer --sanitize=address
# keeps only the last one and silently loses the coverage instrumentation).
# because libFuzzer provides main(). RSS limit 2 GB per target, 10 s per input.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzSafetensors FuzzConfig FuzzVocab FuzzTokenizerJSON FuzzEncode
    FuzzPretrainingText FuzzInstanceLines FuzzShard FuzzClassificationTSV FuzzCoNLL FuzzMultipleChoice FuzzSquad)
source Scripts/setup.sh   # OpenBLAS/LAPACKE headers etc. when missing (a fresh machine)

(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2)
BIN=$(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --show-bin-path)

seed() {  # seed <target> <files...>: copy fixtures into an empty corpus directory
    local dir=.cache/fuzz/$1; shift
    mkdir -p "$dir"
    if [ -z "$(ls -A "$dir")" ]; then for f in "$@"; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done; fi
}
seed FuzzSafetensors Tests/BertKitTests/Fixtures/tiny_gelu/model.safetensors \
    Tests/TensorCoreTests/Fixtures/safetensors/*.safetensors
seed FuzzConfig Tests/BertKitTests/Fixtures/*/config.json
seed FuzzVocab Tests/BertKitTests/Fixtures/tiny_gelu/vocab.txt
seed FuzzTokenizerJSON Tests/TokenizationTests/Fixtures/tokenizer-*.json
mkdir -p .cache/fuzz/FuzzEncode
if [ -z "$(ls -A .cache/fuzz/FuzzEncode)" ]; then
    split -l 1 -a 4 Tests/TokenizationTests/Fixtures/jsonlines-input.txt .cache/fuzz/FuzzEncode/line-
fi
export FUZZ_VOCAB=$ROOT/Tests/TokenizationTests/Fixtures/vocab-uncased.txt
export FUZZ_PRETRAINING_VOCAB=$ROOT/Tests/BertKitTests/Fixtures/pretraining/vocab.txt
P=Tests/BertKitTests/Fixtures/pretraining
seed FuzzPretrainingText $P/edge.txt $P/single.txt $P/single_sentence.txt
seed FuzzInstanceLines $P/single_document.jsonl $P/single_sentence.jsonl
mkdir -p .cache/fuzz/FuzzShard
if [ -z "$(ls -A .cache/fuzz/FuzzShard)" ]; then
    FUZZ_WRITE_SEED=.cache/fuzz/FuzzShard/edge.bkpt FUZZ_SEED_TEXT=$P/edge.txt "$BIN/FuzzShard"
fi
mkdir -p .cache/fuzz/FuzzClassificationTSV
if [ -z "$(ls -A .cache/fuzz/FuzzClassificationTSV)" ]; then
    printf 'sentence\tlabel\r\nit is good .\t1\r\nnot good\t0\r\n' > .cache/fuzz/FuzzClassificationTSV/single.tsv
    printf 'sentence1\tsentence2\tlabel\na man\ta person\t4.25\nno\tyes\t0.5\n' > .cache/fuzz/FuzzClassificationTSV/pair.tsv
fi
seed FuzzCoNLL Tests/BertKitTests/Fixtures/tagging/align.conll
seed FuzzSquad Tests/BertKitTests/Fixtures/qa/squad_v1.json Tests/BertKitTests/Fixtures/qa/squad_v2.json
seed FuzzMultipleChoice Tests/BertKitTests/Fixtures/choice/swag.csv Tests/BertKitTests/Fixtures/choice/swag.jsonl \
    Tests/BertKitTests/Fixtures/choice/generic.jsonl

status=0
for target in "${TARGETS[@]}"; do
    log=.cache/fuzz/$target.log
    set +e
    (cd Fuzz && "$BIN/$target" "$ROOT/.cache/fuzz/$target" -max_total_time="$SECONDS_PER_TARGET" \
        -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1) > "$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}')
    cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o 'cov: [0-9]*' | awk '{print $2}')
    ft=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o 'ft: [0-9]*' | awk '{print $2}')
    corpus=$(ls .cache/fuzz/$target | wc -l)
    echo "$target: ${execs:-?} executions in $SECONDS_PER_TARGET s, coverage ${cov:-?} edges, ${ft:-?} features, corpus $corpus (exit $rc, log $log)"
    [ $rc -eq 0 ] || { status=1; grep -E 'ERROR|SUMMARY|Fatal|Test unit written' "$log" | head -5; }
done
rm -f /dev/shm/fuzz-*   # the targets' scratch files
exit $status
