#!/usr/bin/env bash
# Builds Tests/Downstream (a package that depends on this checkout exactly as the README says) in
# debug, runs each README program and checks what they print against the Hugging Face reference
# values (Scripts/check_readme_output.py). Needs the all-MiniLM-L6-v2 files (Scripts/fetch_minilm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
root=$PWD
models=$(dirname "$(bash Scripts/fetch_minilm.sh)")
python3 Scripts/check_readme_blocks.py
swift build --package-path Tests/Downstream
bin=$(swift build --package-path Tests/Downstream --show-bin-path)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The README's paths are relative: "all-MiniLM-L6-v2" (BertKit) and "vocab.txt" (Tokenization).
(cd "$models" && "$bin/MyApp") > "$out/MyApp.txt"
(cd "$models/all-MiniLM-L6-v2" && "$bin/TokenizerExample") > "$out/TokenizerExample.txt"
"$bin/TrainingLoop" > "$out/TrainingLoop.txt"
# Started without the OpenBLAS variables, so configureBLASForThisProcess() must restart it.
env -u OPENBLAS_CORETYPE -u OPENBLAS_THREAD_TIMEOUT -u BERT_KEEP_BLAS_CORE "$bin/BLASSettings" > "$out/BLASSettings.txt"
"$bin/ParityExample" "$root/Tests" > "$out/ParityExample.txt"
python3 "$root/Scripts/check_readme_output.py" "$out"/*.txt
