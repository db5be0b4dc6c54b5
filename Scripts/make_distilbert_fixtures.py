#!/usr/bin/env python3
"""Writes the DistilBERT parity fixtures (Tests/BertKitTests/Fixtures/distilbert/<case>/).

Pinned: transformers 5.23.0, torch 2.15.0 (Scripts/requirements.txt).

    python3 Scripts/make_distilbert_fixtures.py

Cases (random weights, eval mode / dropout 0, eager attention, float32):
  tiny        learned positions, gelu; model.safetensors is a DistilBertForSequenceClassification
              checkpoint (keys "distilbert.*", "pre_classifier.*", "classifier.*")
  sinusoidal  sinusoidal_pos_embds true, relu; model.safetensors is a DistilBertModel checkpoint
              (keys without prefix). transformers 5.23 writes the sinusoids into the position
              table at initialisation but leaves it trainable, so it has a gradient like the rest
Each case directory holds config.json, model.safetensors, inputs.json (ids, mask, labels, a random
projection of the last hidden state) and <Class>.safetensors: "out.<name>" outputs, "loss" and
"grad.<name>" for every named parameter of that class, and for DistilBertForQuestionAnswering /
DistilBertForMaskedLM / DistilBertForTokenClassification / DistilBertForMultipleChoice (tiny case,
on the same encoder weights) "param.<name>" for their head parameters. Multiple choice reads
inputs.json's mc_* arrays ([B, C, T] ids and mask, [B] labels). dim 12 keeps all files small.
"""
import json
import os
import shutil

import torch
import transformers
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "BertKitTests", "Fixtures",
                    "distilbert")

CASES = {
    "tiny": dict(activation="gelu", sinusoidal_pos_embds=False, head=True),
    "sinusoidal": dict(activation="relu", sinusoidal_pos_embds=True, head=False),
}


def gradients(model):
    out = {}
    for name, p in model.named_parameters():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        out["grad." + name] = g.detach().contiguous().clone()
    return out


def frozen_parameters(model):
    """Names of parameters that transformers does not train (none in 5.23, sinusoidal included)."""
    return [n for n, p in model.named_parameters() if not p.requires_grad]


def main():
    assert transformers.__version__ == "5.23.0", transformers.__version__
    assert torch.__version__.startswith("2.15.0"), torch.__version__
    torch.set_default_dtype(torch.float32)
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    for i, (name, spec) in enumerate(CASES.items()):
        torch.manual_seed(100 + i)
        gen = torch.Generator().manual_seed(200 + i)
        config = transformers.DistilBertConfig(
            vocab_size=99, dim=12, n_layers=2, n_heads=3, hidden_dim=37, max_position_embeddings=16,
            dropout=0.0, attention_dropout=0.0, seq_classif_dropout=0.0, qa_dropout=0.0,
            activation=spec["activation"], sinusoidal_pos_embds=spec["sinusoidal_pos_embds"],
            num_labels=3, pad_token_id=0, initializer_range=0.2)
        config._attn_implementation = "eager"
        d = os.path.join(ROOT, name)
        os.makedirs(d)
        b, t = 2, 7
        ids = torch.randint(1, 99, (b, t), generator=gen)
        mask = torch.ones(b, t, dtype=torch.long)
        mask[1, 5:] = 0
        ids[1, 5:] = 0
        proj = torch.randn(b, t, 12, generator=gen)
        labels = torch.tensor([2, 0])
        mlm_labels = torch.full((b, t), -100)
        mlm_labels[0, 1], mlm_labels[0, 4], mlm_labels[1, 2], mlm_labels[1, 3] = 7, 50, 98, 1
        start, end = torch.tensor([1, 9]), torch.tensor([3, 4])  # 9 > T: clamped to T and ignored
        inputs = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "proj_hidden": proj.tolist(),
                  "labels": labels.tolist(), "mlm_labels": mlm_labels.tolist(), "start_positions": start.tolist(),
                  "end_positions": end.tolist()}

        if spec["head"]:
            head = transformers.DistilBertForSequenceClassification(config).eval()
            # Non-trivial LayerNorm and bias values so that their gradients are exercised.
            with torch.no_grad():
                for n, p in head.named_parameters():
                    if "layer_norm" in n.lower() or n.endswith("bias"):
                        p.add_(0.1 * torch.randn(p.shape, generator=gen))
            head.save_pretrained(d)
            base = head.distilbert
        else:
            base = transformers.DistilBertModel(config).eval()
            with torch.no_grad():
                for n, p in base.named_parameters():
                    if p.requires_grad and ("layer_norm" in n.lower() or n.endswith("bias")):
                        p.add_(0.1 * torch.randn(p.shape, generator=gen))
            base.save_pretrained(d)

        base.zero_grad()
        out = base(input_ids=ids, attention_mask=mask)
        loss = (out.last_hidden_state * proj).sum()
        loss.backward()
        tensors = {"out.last_hidden_state": out.last_hidden_state.detach().contiguous(), "loss": loss.detach().reshape(1)}
        tensors.update(gradients(base))
        save_file(tensors, os.path.join(d, "DistilBertModel.safetensors"))
        assert not frozen_parameters(base), frozen_parameters(base)

        if spec["head"]:
            head.zero_grad()
            out = head(input_ids=ids, attention_mask=mask, labels=labels)
            out.loss.backward()
            tensors = {"out.logits": out.logits.detach().contiguous(), "loss": out.loss.detach().reshape(1)}
            tensors.update(gradients(head))
            save_file(tensors, os.path.join(d, "DistilBertForSequenceClassification.safetensors"))

            qa_config = transformers.DistilBertConfig.from_dict(config.to_dict())
            qa_config.num_labels = 2
            qa_config._attn_implementation = "eager"
            for cls, kwargs in [(transformers.DistilBertForQuestionAnswering,
                                 dict(start_positions=start, end_positions=end)),
                                (transformers.DistilBertForMaskedLM, dict(labels=mlm_labels))]:
                model = cls(qa_config if "Question" in cls.__name__ else config).eval()
                model.distilbert.load_state_dict(head.distilbert.state_dict())
                with torch.no_grad():
                    for n, p in model.named_parameters():
                        if not n.startswith("distilbert.") and ("layer_norm" in n or n.endswith("bias")):
                            p.add_(0.1 * torch.randn(p.shape, generator=gen))
                names = [n for n, _ in model.named_parameters()]
                assert "vocab_projector.weight" not in names, names  # tied: listed as the word embeddings
                model.zero_grad()
                out = model(input_ids=ids, attention_mask=mask, **kwargs)
                out.loss.backward()
                tensors = {"loss": out.loss.detach().reshape(1)}
                for key in ["logits", "start_logits", "end_logits"]:
                    if getattr(out, key, None) is not None:
                        tensors["out." + key] = getattr(out, key).detach().contiguous()
                for n, p in model.named_parameters():
                    if not n.startswith("distilbert."):
                        tensors["param." + n] = p.detach().contiguous().clone()
                tensors.update(gradients(model))
                save_file(tensors, os.path.join(d, cls.__name__ + ".safetensors"))

            # Added after the heads above, so their files do not change: token labels (-100 on
            # padding and on one real token) and a [B, C, T] multiple-choice batch.
            token_labels = torch.randint(0, 3, (b, t), generator=gen)
            token_labels[1, 5:] = -100
            token_labels[0, 3] = -100
            mc_ids = torch.randint(1, 99, (b, 3, 6), generator=gen)
            mc_mask = torch.ones(b, 3, 6, dtype=torch.long)
            mc_mask[0, 1, 4:] = 0
            mc_mask[1, 2, 3:] = 0
            mc_ids[mc_mask == 0] = 0
            mc_labels = torch.tensor([1, 2])
            inputs.update({"token_labels": token_labels.tolist(), "mc_input_ids": mc_ids.tolist(),
                           "mc_attention_mask": mc_mask.tolist(), "mc_labels": mc_labels.tolist()})
            for cls, kwargs in [(transformers.DistilBertForTokenClassification,
                                 dict(input_ids=ids, attention_mask=mask, labels=token_labels)),
                                (transformers.DistilBertForMultipleChoice,
                                 dict(input_ids=mc_ids, attention_mask=mc_mask, labels=mc_labels))]:
                model = cls(config).eval()
                model.distilbert.load_state_dict(head.distilbert.state_dict())
                with torch.no_grad():
                    for n, p in model.named_parameters():
                        if not n.startswith("distilbert.") and n.endswith("bias"):
                            p.add_(0.1 * torch.randn(p.shape, generator=gen))
                model.zero_grad()
                out = model(**kwargs)
                out.loss.backward()
                tensors = {"loss": out.loss.detach().reshape(1), "out.logits": out.logits.detach().contiguous()}
                for n, p in model.named_parameters():
                    if not n.startswith("distilbert."):
                        tensors["param." + n] = p.detach().contiguous().clone()
                tensors.update(gradients(model))
                save_file(tensors, os.path.join(d, cls.__name__ + ".safetensors"))

        with open(os.path.join(d, "inputs.json"), "w") as f:
            json.dump(inputs, f)
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(ROOT) for f in fs)
    print("total bytes", total)


if __name__ == "__main__":
    main()
