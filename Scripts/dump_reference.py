#!/usr/bin/env python3
"""Writes a transformers reference dump of a BERT model: one safetensors file that
ParityTesting's `ReferenceDump` / `ReferenceComparison` (Swift) loads and checks in one call.

Pinned: transformers 5.23.0, torch 2.15.0, safetensors 0.8.0 (Scripts/requirements.txt).

    # texts, tokenized by the directory's own tokenizer (padded to the longest, truncated to 128)
    python3 Scripts/dump_reference.py .cache/models/all-MiniLM-L6-v2 --head model \\
        --texts "A man is eating food." "A man is eating bread." --out minilm_reference.safetensors
    # token ids (a JSON list of lists; rows padded with 0 and masked out to the longest)
    python3 Scripts/dump_reference.py DIR --head sequence-classification --num-labels 3 \\
        --ids '[[2, 17, 40, 3], [2, 9, 3]]' --labels '[2, 0]' --out ref.safetensors

Heads (--head) and their transformers class: model (BertModel), masked-lm (BertForMaskedLM),
sequence-classification (BertForSequenceClassification), token-classification
(BertForTokenClassification), question-answering (BertForQuestionAnswering), pretraining
(BertForPreTraining), next-sentence (BertForNextSentencePrediction). Default: from config.json
`architectures`, else model. The model runs in eval mode (dropout off), float32, eager attention.
Weights the checkpoint lacks (a new classifier) are initialised by transformers after
`torch.manual_seed(--seed)` and written to the dump so that the Swift side uses the same ones.
Labels not given with --labels are drawn from a generator seeded with --seed.

Keys of the dump (B batch, T tokens, L layers, HF names throughout):
  input.input_ids, input.attention_mask, input.token_type_ids   I64 [B, T]
  label.labels                  I64 (classification, token, masked LM: -100 = ignored) or F32 (regression,
                                multi-label); label.next_sentence_label I64 [B] (pretraining);
                                label.start_positions, label.end_positions I64 [B] (question answering)
  input.projection.last_hidden_state F32 [B, T, H], input.projection.pooler_output F32 [B, H]
                                (head "model" only: loss = sum(last_hidden_state * P) + sum(pooler_output * Q))
  param.<name>                  F32, parameters the checkpoint did not provide (newly initialised)
  out.hidden_states.<i>         F32 [B, T, H], i = 0 (embedding output) … L (last layer output)
  out.attentions.<i>            F32 [B, heads, T, T], i = 0 … L-1 (omitted with --no-attentions)
  out.pooler_output             F32 [B, H] when the model has a pooler
  out.logits                    F32, single-logits heads; pretraining: out.prediction_logits [B, T, V] and
                                out.seq_relationship_logits [B, 2]; question answering: out.start_logits,
                                out.end_logits [B, T]
  loss                          F32 [] (scalar)
  grad.<name>                   F32, d loss / d parameter for every named parameter (tied weights once,
                                as named_parameters() lists them); omitted with --no-grads, restricted by
                                --grads REGEX
Metadata (__metadata__): format "swift-bert-reference/1", head, architecture, num_labels, problem_type,
num_hidden_layers, transformers_version, torch_version, seed, texts (JSON list, when given).
"""
import argparse
import json
import os
import re
import sys

import torch
import transformers
from safetensors import safe_open
from safetensors.torch import save_file

FORMAT = "swift-bert-reference/1"
HEADS = {
    "model": "BertModel",
    "masked-lm": "BertForMaskedLM",
    "sequence-classification": "BertForSequenceClassification",
    "token-classification": "BertForTokenClassification",
    "question-answering": "BertForQuestionAnswering",
    "pretraining": "BertForPreTraining",
    "next-sentence": "BertForNextSentencePrediction",
}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", help="Hugging Face model directory (config.json + model.safetensors)")
    ap.add_argument("--out", required=True, help="safetensors file to write")
    ap.add_argument("--head", choices=sorted(HEADS), help="default: from config.json architectures, else model")
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--texts", nargs="+", help="texts, tokenized with the directory's tokenizer")
    group.add_argument("--ids", help="token ids as JSON: a list of lists (rows are padded to the longest)")
    ap.add_argument("--max-length", type=int, default=128, help="truncation length for --texts (default 128)")
    ap.add_argument("--num-labels", type=int, help="classifier size (default: config.json num_labels)")
    ap.add_argument("--problem-type", choices=["regression", "single_label_classification",
                                               "multi_label_classification"])
    ap.add_argument("--labels", help="labels as JSON (shape of the head's labels); default: seeded random")
    ap.add_argument("--seed", type=int, default=0, help="seed for new head weights, labels and projections")
    ap.add_argument("--no-attentions", action="store_true", help="do not write attention probabilities")
    ap.add_argument("--no-grads", action="store_true", help="do not run backward / write gradients")
    ap.add_argument("--grads", help="only write gradients of parameters whose name matches this regex")
    return ap.parse_args(argv)


def encode(args):
    if args.ids is not None:
        rows = json.loads(args.ids)
        if not rows or not all(isinstance(r, list) and r for r in rows):
            sys.exit("--ids: expected a non-empty JSON list of non-empty lists of token ids")
        t = max(len(r) for r in rows)
        ids = torch.zeros(len(rows), t, dtype=torch.long)
        mask = torch.zeros(len(rows), t, dtype=torch.long)
        for b, r in enumerate(rows):
            ids[b, :len(r)] = torch.tensor(r, dtype=torch.long)
            mask[b, :len(r)] = 1
        return ids, mask, torch.zeros_like(ids)
    tokenizer = transformers.AutoTokenizer.from_pretrained(args.model_dir)
    enc = tokenizer(args.texts, padding="longest", truncation=True, max_length=args.max_length, return_tensors="pt")
    types = enc.get("token_type_ids", torch.zeros_like(enc["input_ids"]))
    return enc["input_ids"], enc["attention_mask"], types


def checkpoint_keys(model_dir):
    path = os.path.join(model_dir, "model.safetensors")
    with safe_open(path, "pt") as f:
        keys = set(f.keys())
    canon = set()
    for k in keys:
        k = re.sub(r"\.gamma$", ".weight", re.sub(r"\.beta$", ".bias", k))
        canon.add(k)
        canon.add(k[5:] if k.startswith("bert.") else "bert." + k)
    if "cls.predictions.bias" in canon:
        canon.add("cls.predictions.decoder.bias")
    return canon


def default_labels(head, gen, ids, mask, config):
    b, t = ids.shape
    if head in ("masked-lm", "pretraining"):
        labels = torch.full_like(ids, -100)
        for r in range(b):
            n = int(mask[r].sum())
            if n > 2:  # mask about a third of the tokens between [CLS] and [SEP]
                k = max(1, (n - 2) // 3)
                pos = torch.randperm(n - 2, generator=gen)[:k] + 1
                labels[r, pos] = torch.randint(0, config.vocab_size, (k,), generator=gen)
        return labels
    if head == "token-classification":
        labels = torch.randint(0, config.num_labels, ids.shape, generator=gen)
        labels[mask == 0] = -100
        return labels
    if head == "sequence-classification":
        if config.problem_type == "regression" or (config.problem_type is None and config.num_labels == 1):
            return torch.randn(b, config.num_labels, generator=gen).squeeze(-1)
        if config.problem_type == "multi_label_classification":
            return torch.randint(0, 2, (b, config.num_labels), generator=gen).float()
        return torch.randint(0, config.num_labels, (b,), generator=gen)
    if head == "next-sentence":
        return torch.randint(0, 2, (b,), generator=gen)
    return None


def main(argv=None):
    args = parse_args(argv)
    assert transformers.__version__ == "5.23.0", f"pinned transformers 5.23.0, got {transformers.__version__}"
    config = transformers.BertConfig.from_pretrained(args.model_dir)
    head = args.head
    if head is None:
        arch = (config.architectures or ["BertModel"])[0]
        head = next((h for h, c in HEADS.items() if c == arch), "model")
    if args.num_labels is not None:
        config.num_labels = args.num_labels
    if args.problem_type is not None:
        config.problem_type = args.problem_type
    config._attn_implementation = "eager"
    cls = getattr(transformers, HEADS[head])
    torch.manual_seed(args.seed)
    model = cls.from_pretrained(args.model_dir, config=config, attn_implementation="eager").float().eval()
    gen = torch.Generator().manual_seed(args.seed)

    ids, mask, types = encode(args)
    tensors = {"input.input_ids": ids, "input.attention_mask": mask, "input.token_type_ids": types}
    known = checkpoint_keys(args.model_dir)
    for name, p in model.named_parameters():
        if name not in known:
            tensors["param." + name] = p.detach().clone()

    common = dict(input_ids=ids, attention_mask=mask, token_type_ids=types, output_hidden_states=True,
                  output_attentions=not args.no_attentions)
    labels = default_labels(head, gen, ids, mask, model.config)
    if args.labels is not None:
        labels = torch.tensor(json.loads(args.labels))
        if labels.is_floating_point():
            labels = labels.float()
    pooled = {}
    if getattr(model, "bert", model).pooler is not None:
        getattr(model, "bert", model).pooler.register_forward_hook(lambda m, i, o: pooled.setdefault("p", o))

    if head == "model":
        out = model(**common)
        p = torch.randn(out.last_hidden_state.shape, generator=gen)
        tensors["input.projection.last_hidden_state"] = p
        loss = (out.last_hidden_state * p).sum()
        if out.pooler_output is not None:
            q = torch.randn(out.pooler_output.shape, generator=gen)
            tensors["input.projection.pooler_output"] = q
            loss = loss + (out.pooler_output * q).sum()
    elif head == "question-answering":
        b, t = ids.shape
        start = torch.randint(0, t, (b,), generator=gen)
        end = torch.randint(0, t, (b,), generator=gen)
        if labels is not None and labels.dim() == 2:  # --labels '[[start, end], …]'
            start, end = labels[:, 0].long(), labels[:, 1].long()
        tensors["label.start_positions"], tensors["label.end_positions"] = start, end
        out = model(**common, start_positions=start, end_positions=end)
        loss = out.loss
        tensors["out.start_logits"], tensors["out.end_logits"] = out.start_logits, out.end_logits
    elif head == "pretraining":
        nsp = torch.randint(0, 2, (ids.shape[0],), generator=gen)
        tensors["label.labels"], tensors["label.next_sentence_label"] = labels, nsp
        out = model(**common, labels=labels, next_sentence_label=nsp)
        loss = out.loss
        tensors["out.prediction_logits"] = out.prediction_logits
        tensors["out.seq_relationship_logits"] = out.seq_relationship_logits
    else:
        tensors["label.labels"] = labels
        out = model(**common, labels=labels)
        loss = out.loss
        tensors["out.logits"] = out.logits

    for i, h in enumerate(out.hidden_states):
        tensors[f"out.hidden_states.{i}"] = h
    for i, a in enumerate(out.attentions or []):
        tensors[f"out.attentions.{i}"] = a
    if "p" in pooled:
        tensors["out.pooler_output"] = pooled["p"]
    tensors["loss"] = loss.reshape([])
    if not args.no_grads:
        loss.backward()
        pattern = re.compile(args.grads) if args.grads else None
        for name, p in model.named_parameters():
            if pattern is None or pattern.search(name):
                tensors["grad." + name] = p.grad if p.grad is not None else torch.zeros_like(p)

    out_tensors = {}
    for k, v in tensors.items():
        v = v.detach().contiguous().clone()
        out_tensors[k] = v.long() if not v.is_floating_point() else v.float()
    metadata = {"format": FORMAT, "head": head, "architecture": HEADS[head],
                "grads": "none" if args.no_grads else (args.grads or "all"),
                "num_labels": str(model.config.num_labels), "problem_type": str(model.config.problem_type or ""),
                "num_hidden_layers": str(model.config.num_hidden_layers),
                "transformers_version": transformers.__version__, "torch_version": torch.__version__,
                "seed": str(args.seed)}
    if args.texts is not None:
        metadata["texts"] = json.dumps(args.texts)
    tmp = args.out + ".tmp"
    save_file(out_tensors, tmp, metadata=metadata)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {len(out_tensors)} tensors, head {head}, loss {loss.item():.6f}")


if __name__ == "__main__":
    sys.exit(main())
