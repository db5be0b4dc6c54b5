#!/usr/bin/env python3
"""Reference values of the fine-tuning metrics, written to Tests/BertKitTests/Fixtures/finetune/.

metrics.json: random predictions/labels (numpy seed 0) and what scikit-learn (accuracy_score,
f1_score binary and macro, matthews_corrcoef) and SciPy (pearsonr, spearmanr — with ties) compute
for them; each case keeps its inputs so the Swift test feeds the same numbers.

Pinned versions: Scripts/requirements.txt (scikit-learn, scipy, seqeval, numpy).
    python3 Scripts/make_finetune_fixtures.py
"""
import json, os

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "BertKitTests", "Fixtures", "finetune")


def classification_cases(rng):
    cases = []
    for n, k, agree in [(50, 2, 0.7), (64, 3, 0.5), (37, 4, 0.3), (20, 2, 1.0), (31, 2, 0.0)]:
        labels = rng.integers(0, k, n)
        noise = rng.integers(0, k, n)
        preds = np.where(rng.random(n) < agree, labels, noise)
        case = {"labels": labels.tolist(), "predictions": preds.tolist(), "classes": k,
                "accuracy": accuracy_score(labels, preds),
                "f1_macro": f1_score(labels, preds, average="macro"),
                "matthews": matthews_corrcoef(labels, preds)}
        if k == 2:
            case["f1"] = f1_score(labels, preds, average="binary", zero_division=0)
        cases.append(case)
    return cases


def regression_cases(rng):
    cases = []
    for n, ties in [(40, False), (33, True), (12, True)]:
        x = rng.normal(size=n)
        y = 0.6 * x + rng.normal(size=n)
        if ties:  # STS-B style labels on a 0.2 grid: many ties
            x = np.round(x * 5) / 5
            y = np.round(y * 2) / 2
        cases.append({"x": x.tolist(), "y": y.tolist(), "pearson": float(pearsonr(x, y)[0]),
                      "spearman": float(spearmanr(x, y)[0])})
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    metrics = {"classification": classification_cases(rng), "regression": regression_cases(rng)}
    with open(os.path.join(OUT, "metrics.json"), "w") as f:
        json.dump(metrics, f)
        f.write("\n")


if __name__ == "__main__":
    main()
