"""Writes Tests/BertKitTests/Fixtures/tiny_gelu/loading_info.json: for every BERT head class,
which weights transformers' `from_pretrained` finds missing (newly initialised) and unexpected
(not used) when it loads the tiny BertForPreTraining checkpoint in that directory — the
reference for `BertModelDirectory.load(_:numLabels:)`.

    pip install -r Scripts/requirements.txt   # transformers==5.23.0, torch==2.15.0
    python3 Scripts/make_loading_info_fixtures.py
"""
import json
import os

import transformers

DIR = os.path.join(os.path.dirname(__file__), "..", "Tests", "BertKitTests", "Fixtures", "tiny_gelu")
CLASSES = [
    "BertForPreTraining", "BertForMaskedLM", "BertLMHeadModel", "BertForNextSentencePrediction",
    "BertForSequenceClassification", "BertForTokenClassification", "BertForQuestionAnswering",
    "BertForMultipleChoice",
]


def main() -> None:
    out = {"transformers": transformers.__version__, "classes": {}}
    for name in CLASSES:
        cls = getattr(transformers, name)
        kwargs = {"is_decoder": True} if name == "BertLMHeadModel" else {}
        _, info = cls.from_pretrained(DIR, output_loading_info=True, **kwargs)
        out["classes"][name] = {
            "missing": sorted(info["missing_keys"]),
            "unexpected": sorted(info["unexpected_keys"]),
            "mismatched": sorted(str(k) for k in info["mismatched_keys"]),
        }
    with open(os.path.join(DIR, "loading_info.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
