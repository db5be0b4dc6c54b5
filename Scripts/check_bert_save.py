#!/usr/bin/env python3
"""Proves a directory written by `BertCheckpoint.save` loads in transformers with no missing or
unexpected keys, and that transformers reproduces the Swift outputs saved beside it.

    BERT_SAVE_DIR=/tmp/swift-saved swift test -c release --filter saveThenLoadRoundTrips
    python3 Scripts/check_bert_save.py /tmp/swift-saved

The Swift test writes config.json + model.safetensors (BertForPreTraining, HF names) and
swift_outputs.json (input ids and the Swift prediction / NSP logits). Pinned: transformers 5.23.0.
"""
import json
import os
import sys

import torch
import transformers
from transformers import BertForPreTraining


def main(d):
    model, info = BertForPreTraining.from_pretrained(d, output_loading_info=True, attn_implementation="eager")
    model.eval()
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs")}
    print(f"transformers {transformers.__version__} loading info: {info}")
    if problems:
        sys.exit(f"FAIL: {problems}")
    ref = json.load(open(os.path.join(d, "swift_outputs.json")))
    ids = torch.tensor(ref["input_ids"])
    with torch.no_grad():
        out = model(input_ids=ids)
    pred = torch.tensor(ref["prediction_logits"]).reshape(out.prediction_logits.shape)
    nsp = torch.tensor(ref["seq_relationship_logits"])
    e1 = (out.prediction_logits - pred).abs().max().item()
    e2 = (out.seq_relationship_logits - nsp).abs().max().item()
    print(f"max |Δ| prediction logits {e1:.2e}, NSP logits {e2:.2e}")
    if max(e1, e2) > 1e-4:
        sys.exit("FAIL: outputs differ")
    print("OK: no missing/unexpected keys, outputs equal")


if __name__ == "__main__":
    main(sys.argv[1])
