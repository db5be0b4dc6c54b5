#!/usr/bin/env python3
"""Compares what the downstream README programs print with the committed reference values.

    python3 Scripts/check_readme_output.py OUTPUT_FILE...

Each OUTPUT_FILE is the standard output of one Tests/Downstream program (Scripts/run_downstream.sh
writes them); its JSON lines (those starting with "{") carry a "program" name. The reference is
Tests/BertKitTests/Fixtures/readme_reference.json, written from Hugging Face by
Scripts/make_readme_reference.py; floats must agree within its tolerance (|got - want| <=
atol + rtol * |want|), integers exactly. BLASSettings has no reference value (the core depends
on the CPU): it must have restarted itself with OPENBLAS_THREAD_TIMEOUT=4 (run_downstream.sh
starts it without the variables) and printed its line once. ParityExample compares a committed
tiny model with its committed transformers dump itself: it must report a pass over all 7 stages.
Standard library only.
"""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
REFERENCE = os.path.join(ROOT, "Tests", "BertKitTests", "Fixtures", "readme_reference.json")


class Checker:
    def __init__(self, tolerance):
        self.atol, self.rtol = tolerance["atol"], tolerance["rtol"]
        self.passed, self.failures = 0, []

    def check(self, what, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{what}: {detail}")

    def equal(self, what, got, want):
        self.check(what, got == want, f"got {got}, want {want}")

    def close(self, what, got, want):
        if isinstance(want, list):
            if not isinstance(got, list) or len(got) != len(want):
                return self.check(what, False, f"got {got!r:.200}, want {len(want)} values")
            bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if abs(g - w) > self.atol + self.rtol * abs(w)]
            return self.check(what, not bad, f"{len(bad)} values differ, first at {bad[:1]}")
        self.check(what, abs(got - want) <= self.atol + self.rtol * abs(want), f"got {got}, want {want}")


def main(paths):
    with open(REFERENCE) as f:
        ref = json.load(f)
    c = Checker(ref["tolerance"])
    outputs = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for line in text.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                outputs[record["program"]] = (record, text)
    for program in ["TrainingLoop", "TokenizerExample", "MyApp", "BLASSettings", "ParityExample"]:
        c.check(f"{program} printed its results", program in outputs, "no JSON line found")
    if "TrainingLoop" in outputs:
        c.equal("TrainingLoop argmax (the targets)", outputs["TrainingLoop"][0]["argmax"], ref["tensorcore"]["argmax"])
    if "TokenizerExample" in outputs:
        got, want = outputs["TokenizerExample"][0], ref["tokenization"]
        for key in ["ids", "type_ids", "offsets", "word_ids"]:
            c.equal(f"TokenizerExample pair {key}", got["pair"][key], want["pair"][key])
        for key in ["ids", "attention_mask"]:
            c.equal(f"TokenizerExample batch {key}", got["batch"][key], want["batch"][key])
    if "MyApp" in outputs:
        got, want = outputs["MyApp"][0], ref["bertkit"]
        c.equal("MyApp ids", got["ids"], want["ids"])
        c.equal("MyApp attention_mask", got["attention_mask"], want["attention_mask"])
        for i, v in enumerate(want["vectors"]):
            c.close(f"MyApp sentence vector {i}", got["vectors"][i], v)
        c.close("MyApp cosine", got["cosine"], want["cosine"])
        c.equal("MyApp hidden shape", got["hidden_shape"], want["hidden_shape"])
        for i, v in enumerate(want["cls_hidden_first8"]):
            c.close(f"MyApp [CLS] hidden state {i}", got["cls_hidden_first8"][i], v)
    if "BLASSettings" in outputs:
        got, text = outputs["BLASSettings"]
        c.check("BLASSettings restarted itself", got["restarted"] is True, f"{got}")
        c.equal("BLASSettings OPENBLAS_THREAD_TIMEOUT after the restart", got["OPENBLAS_THREAD_TIMEOUT"], "4")
        c.equal("BLASSettings OPENBLAS_CORETYPE after the restart", got["OPENBLAS_CORETYPE"], got["suggested_core"])
        c.equal("BLASSettings printed its line once", text.count("OpenBLAS " + got["core"] + " kernels"), 1)
    if "ParityExample" in outputs:
        got = outputs["ParityExample"][0]
        c.check("ParityExample: the tiny model equals its transformers dump", got["passed"] is True, f"{got}")
        c.equal("ParityExample stages compared", got["stages"], 7)
    for failure in c.failures:
        print("FAILED " + failure)
    print(f"check_readme_output: {c.passed} passed, {len(c.failures)} failed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
