#!/usr/bin/env python3
"""Checks `bert predict --task qa` against transformers end to end: the fine-tuned model
directory loads as BertForQuestionAnswering or DistilBertForQuestionAnswering
(AutoModelForQuestionAnswering, by config.json's model_type) with no missing or unexpected keys;
transformers runs every window of the SQuAD file — windows made as run_qa.py's
prepare_validation_features (make_qa_fixtures.py's `features_of`), token types dropped for
DistilBERT — and utils_qa.py's postprocess_qa_predictions (make_qa_fixtures.py's `postprocess`,
n-best 20, max answer length 30) answers every question as the Swift predictions.json does, with
the best answer's start/end logits within 1e-4.

    bert finetune qa --model M --train train.json --output run --max-length 64 --doc-stride 16 --max-query-length 24 ...
    bert predict --task qa --model run/model --input dev.json --output pred --max-length 64 --doc-stride 16 --max-query-length 24
    python3 Scripts/check_qa_predictions.py run/model dev.json pred 64 16

Questions must not be cut (--max-query-length at least the longest question: HF has no such
limit). SQuAD v1.1 files only (no --version-2-with-negative). Pinned: transformers 5.23.0,
tokenizers 0.23.3, numpy 2.4.6.
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch
from transformers import AutoModelForQuestionAnswering, BertTokenizerFast


def reference():
    spec = importlib.util.spec_from_file_location("make_qa_fixtures", os.path.join(os.path.dirname(__file__), "make_qa_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(model_dir, squad_path, predictions_dir, max_length, doc_stride):
    ref = reference()
    ref.MAX_LENGTH, ref.DOC_STRIDE = max_length, doc_stride
    model, info = AutoModelForQuestionAnswering.from_pretrained(model_dir, output_loading_info=True, attn_implementation="eager")
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
    print(f"{type(model).__name__}, loading info {info}")
    if problems:
        sys.exit(f"FAIL: {problems}")
    model.eval()
    tokenizer = BertTokenizerFast.from_pretrained(model_dir)
    examples = ref.examples_of(json.load(open(squad_path, encoding="utf-8")))
    features = ref.features_of(tokenizer, examples, lambda *args: True)
    starts, ends = [], []
    with torch.no_grad():
        for f in features:
            x = {"input_ids": torch.tensor([f["input_ids"]])}
            if model.config.model_type != "distilbert":
                x["token_type_ids"] = torch.tensor([f["token_type_ids"]])
            out = model(**x)
            starts.append(out.start_logits[0].numpy().astype(np.float32))
            ends.append(out.end_logits[0].numpy().astype(np.float32))
    predictions, nbest, _ = ref.postprocess(examples, features, starts, ends, False, 20, 30, 0.0, False)
    swift = json.load(open(os.path.join(predictions_dir, "predictions.json"), encoding="utf-8"))
    swift_nbest = json.load(open(os.path.join(predictions_dir, "nbest_predictions.json"), encoding="utf-8"))
    differ = [k for k in predictions if swift.get(k) != predictions[k]]
    worst = max(max(abs(swift_nbest[k][0]["start_logit"] - nbest[k][0]["start_logit"]),
                    abs(swift_nbest[k][0]["end_logit"] - nbest[k][0]["end_logit"])) for k in predictions)
    print(f"{len(examples)} questions, {len(features)} windows: {len(differ)} answers differ from transformers "
          f"{differ[:3]}; best answer's logits max |Δ| {worst:.1e}")
    if differ or worst > 1e-4 or set(swift) != set(predictions):
        sys.exit("FAIL")
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
