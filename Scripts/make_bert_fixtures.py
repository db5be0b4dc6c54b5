#!/usr/bin/env python3
"""Writes the BertKit parity fixtures (Tests/BertKitTests/Fixtures/<case>/).

Pinned: transformers 5.23.0, torch 2.15.0, safetensors 0.8.0 (Scripts/requirements.txt).
transformers 5.x dropped relative position embeddings for BERT, so the relative_key /
relative_key_query cases are produced by transformers 4.57.x. Run both halves:

    python3 Scripts/make_bert_fixtures.py                     # absolute-position cases (5.23)
    pip install --target /work/.cache/tf457 "transformers>=4.57,<5" "huggingface_hub<1" "tokenizers<0.23"
    PYTHONPATH=/work/.cache/tf457 python3 Scripts/make_bert_fixtures.py --relative

Each case directory holds:
  config.json        HF config (written by transformers)
  model.safetensors  BertForPreTraining checkpoint written by save_pretrained (HF names)
  inputs.json        input ids / masks / type ids / labels per head class, plus random projections
  <Class>.safetensors  for every head class: "param.<name>" for parameters that are not in
                     model.safetensors (new heads), "out.<name>" for outputs, "loss" and
                     "grad.<name>" for the gradient of every named parameter of that class.
Every model runs in eval mode (dropout off) with eager attention, in float32.
"""
import argparse
import json
import os
import shutil
import sys

import torch
import transformers
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "BertKitTests", "Fixtures")


def write_vocab(path, size):
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = [f"w{i}" for i in range(size - len(specials))]
    with open(path, "w") as f:
        f.write("\n".join(specials + words) + "\n")


def make_inputs(gen, batch, seq, vocab, type_vocab, lengths):
    ids = torch.zeros(batch, seq, dtype=torch.long)
    mask = torch.zeros(batch, seq, dtype=torch.long)
    types = torch.zeros(batch, seq, dtype=torch.long)
    for b, n in enumerate(lengths):
        if n > 0:
            ids[b, :n] = torch.randint(5, vocab, (n,), generator=gen)
            ids[b, 0] = 2
            mask[b, :n] = 1
            types[b, :n] = torch.randint(0, type_vocab, (n,), generator=gen)
    return ids, mask, types


def mlm_labels(gen, ids, mask, vocab):
    labels = torch.full_like(ids, -100)
    for b in range(ids.shape[0]):
        n = int(mask[b].sum())
        if n > 1:
            k = max(1, n // 3)
            pos = torch.randperm(n - 1, generator=gen)[:k] + 1
            labels[b, pos] = torch.randint(0, vocab, (k,), generator=gen)
    return labels


def grads_of(model):
    out = {}
    for name, p in model.named_parameters():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        out["grad." + name] = g.detach().clone().contiguous()
    return out


def run_case(name, cfg_kwargs, classes, lengths, seq, relative=False, activations=()):
    from transformers import (BertConfig, BertForPreTraining, BertModel, BertForMaskedLM,
                              BertForNextSentencePrediction, BertForSequenceClassification,
                              BertForTokenClassification, BertForQuestionAnswering,
                              BertForMultipleChoice, BertLMHeadModel)
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    out_dir = os.path.join(ROOT, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    config = BertConfig(attn_implementation="eager", **cfg_kwargs)
    config._attn_implementation = "eager"
    base = BertForPreTraining(config).eval()
    # Non-zero biases and LayerNorm parameters so every term is exercised.
    with torch.no_grad():
        for n, p in base.named_parameters():
            if n.endswith("bias") or "LayerNorm" in n:
                p.add_(torch.randn(p.shape, generator=gen) * 0.1)
            else:  # std 0.1 instead of 0.02: attention far from uniform, relative terms visible
                p.mul_(5.0)
    base.save_pretrained(out_dir, safe_serialization=True)
    if os.path.exists(os.path.join(out_dir, "generation_config.json")):
        os.remove(os.path.join(out_dir, "generation_config.json"))
    write_vocab(os.path.join(out_dir, "vocab.txt"), config.vocab_size)
    base_state = base.state_dict()

    B = len(lengths)
    V = config.vocab_size
    ids, mask, types = make_inputs(gen, B, seq, V, config.type_vocab_size, lengths)
    inputs = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "token_type_ids": types.tolist(),
              "transformers_version": transformers.__version__, "torch_version": torch.__version__}

    def build(cls, **over):
        c = BertConfig(attn_implementation="eager", **{**cfg_kwargs, **over})
        c._attn_implementation = "eager"
        m = cls(c).eval()
        st = m.state_dict()
        extra = {}
        with torch.no_grad():
            for k in st:
                src = next((c for c in (k, "bert." + k) if c in base_state and base_state[c].shape == st[k].shape), None)
                if src is not None:
                    st[k].copy_(base_state[src])
                else:
                    st[k].copy_(torch.randn(st[k].shape, generator=gen) * 0.2)
                    extra["param." + k] = st[k].detach().clone().contiguous()
        return m, extra

    def save(cls_name, tensors, loss=None):
        if loss is not None:
            tensors["loss"] = loss.detach().reshape(1).contiguous()
        save_file({k: v.float().clone().contiguous() for k, v in tensors.items()}, os.path.join(out_dir, cls_name + ".safetensors"))

    mlm = mlm_labels(gen, ids, mask, V)
    nsp = torch.randint(0, 2, (B,), generator=gen)
    inputs["mlm_labels"] = mlm.tolist()
    inputs["nsp_labels"] = nsp.tolist()
    common = dict(input_ids=ids, attention_mask=mask, token_type_ids=types)

    if "BertModel" in classes:
        m, extra = build(BertModel)
        out = m(**common, output_hidden_states=True, output_attentions=True)
        rh = torch.randn(out.last_hidden_state.shape, generator=gen)
        rp = torch.randn(out.pooler_output.shape, generator=gen)
        inputs["proj_hidden"] = rh.flatten().tolist()
        inputs["proj_pooled"] = rp.flatten().tolist()
        loss = (out.last_hidden_state * rh).sum() + (out.pooler_output * rp).sum()
        loss.backward()
        t = {"out.last_hidden_state": out.last_hidden_state, "out.pooler_output": out.pooler_output, **extra}
        for i, h in enumerate(out.hidden_states):
            t[f"out.hidden_states.{i}"] = h
        for i, a in enumerate(out.attentions):
            t[f"out.attentions.{i}"] = a
        t.update(grads_of(m))
        save("BertModel", {k: v.detach() for k, v in t.items()}, loss)
        # Every other activation on the same weights (forward only).
        for act in activations:
            c = BertConfig(attn_implementation="eager", **{**cfg_kwargs, "hidden_act": act})
            c._attn_implementation = "eager"
            ma = BertModel(c).eval()
            ma.load_state_dict(m.state_dict())
            with torch.no_grad():
                oa = ma(**common)
            save(f"BertModel_{act}", {"out.last_hidden_state": oa.last_hidden_state, "out.pooler_output": oa.pooler_output})

    if "BertForPreTraining" in classes:
        m, extra = build(BertForPreTraining)
        out = m(**common, labels=mlm, next_sentence_label=nsp)
        out.loss.backward()
        t = {"out.prediction_logits": out.prediction_logits, "out.seq_relationship_logits": out.seq_relationship_logits, **extra}
        t.update(grads_of(m))
        save("BertForPreTraining", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertForMaskedLM" in classes:
        m, extra = build(BertForMaskedLM)
        out = m(**common, labels=mlm)
        out.loss.backward()
        t = {"out.logits": out.logits, **extra, **grads_of(m)}
        save("BertForMaskedLM", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertForNextSentencePrediction" in classes:
        m, extra = build(BertForNextSentencePrediction)
        out = m(**common, labels=nsp)
        out.loss.backward()
        t = {"out.logits": out.logits, **extra, **grads_of(m)}
        save("BertForNextSentencePrediction", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertForSequenceClassification" in classes:
        variants = {
            "single": (dict(num_labels=3), torch.randint(0, 3, (B,), generator=gen)),
            "regression": (dict(num_labels=1), torch.randn(B, generator=gen)),
            "multi": (dict(num_labels=3, problem_type="multi_label_classification"),
                      torch.randint(0, 2, (B, 3), generator=gen).float()),
        }
        for vname, (over, labels) in variants.items():
            m, extra = build(BertForSequenceClassification, **over)
            out = m(**common, labels=labels)
            out.loss.backward()
            inputs[f"seqcls_{vname}_labels"] = labels.tolist()
            t = {"out.logits": out.logits, **extra, **grads_of(m)}
            save(f"BertForSequenceClassification_{vname}", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertForTokenClassification" in classes:
        labels = torch.randint(0, 5, ids.shape, generator=gen)
        labels[mask == 0] = -100
        m, extra = build(BertForTokenClassification, num_labels=5)
        out = m(**common, labels=labels)
        out.loss.backward()
        inputs["token_labels"] = labels.tolist()
        t = {"out.logits": out.logits, **extra, **grads_of(m)}
        save("BertForTokenClassification", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertForQuestionAnswering" in classes:
        start = torch.randint(0, seq, (B,), generator=gen)
        end = torch.randint(0, seq, (B,), generator=gen)
        start[-1] = seq + 5  # clamped to seq → ignored
        m, extra = build(BertForQuestionAnswering)
        out = m(**common, start_positions=start, end_positions=end)
        out.loss.backward()
        inputs["start_positions"] = start.tolist()
        inputs["end_positions"] = end.tolist()
        t = {"out.start_logits": out.start_logits, "out.end_logits": out.end_logits, **extra, **grads_of(m)}
        save("BertForQuestionAnswering", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertForMultipleChoice" in classes:
        C = 2
        mc = {k: v.reshape(B // C, C, seq) for k, v in common.items()}
        labels = torch.randint(0, C, (B // C,), generator=gen)
        m, extra = build(BertForMultipleChoice)
        out = m(**mc, labels=labels)
        out.loss.backward()
        inputs["choice_labels"] = labels.tolist()
        t = {"out.logits": out.logits, **extra, **grads_of(m)}
        save("BertForMultipleChoice", {k: v.detach() for k, v in t.items()}, out.loss)

    if "BertLMHeadModel" in classes:
        labels = ids.clone()
        labels[mask == 0] = -100
        m, extra = build(BertLMHeadModel, is_decoder=True)
        out = m(**common, labels=labels, use_cache=False)
        out.loss.backward()
        inputs["causal_labels"] = labels.tolist()
        t = {"out.logits": out.logits, **extra, **grads_of(m)}
        save("BertLMHeadModel", {k: v.detach() for k, v in t.items()}, out.loss)

    with open(os.path.join(out_dir, "inputs.json"), "w") as f:
        json.dump(inputs, f, separators=(",", ":"))
    print(f"wrote {out_dir}")


ALL = ["BertModel", "BertForPreTraining", "BertForMaskedLM", "BertForNextSentencePrediction",
       "BertForSequenceClassification", "BertForTokenClassification", "BertForQuestionAnswering",
       "BertForMultipleChoice", "BertLMHeadModel"]

TINY = dict(vocab_size=99, hidden_size=20, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
            max_position_embeddings=40, type_vocab_size=3, hidden_act="gelu", hidden_dropout_prob=0.1,
            attention_probs_dropout_prob=0.1, layer_norm_eps=1e-12)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relative", action="store_true", help="relative-position cases (needs transformers 4.57.x)")
    args = ap.parse_args()
    major = int(transformers.__version__.split(".")[0])
    if args.relative:
        assert transformers.__version__.startswith("4.57"), f"--relative needs transformers 4.57.x, got {transformers.__version__}"
        for kind in ["relative_key", "relative_key_query"]:
            run_case(f"tiny_{kind}", {**TINY, "position_embedding_type": kind},
                     ["BertModel", "BertForMaskedLM"], lengths=[9, 6, 3], seq=9, relative=True)
        return
    assert transformers.__version__ == "5.23.0", f"pinned transformers 5.23.0, got {transformers.__version__}"
    assert major == 5
    # Padded batch with one fully padded row (it must stay finite and match HF exactly).
    run_case("tiny_gelu", TINY, ALL, lengths=[9, 6, 3, 0], seq=9,
             activations=["gelu_new", "gelu_fast", "relu", "silu", "quick_gelu"])
    run_case("odd_gelu_new", dict(vocab_size=57, hidden_size=21, num_hidden_layers=3, num_attention_heads=3,
                                  intermediate_size=29, max_position_embeddings=16, type_vocab_size=2,
                                  hidden_act="gelu_new", layer_norm_eps=1e-7),
             ["BertModel", "BertForPreTraining", "BertForSequenceClassification", "BertForTokenClassification"],
             lengths=[7, 5], seq=7)


if __name__ == "__main__":
    sys.exit(main())
