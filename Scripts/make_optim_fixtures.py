#!/usr/bin/env python3
"""Writes the optimizer, schedule, clipping and safetensors fixtures of TensorCoreTests.

Pinned: torch 2.15.0, transformers 5.23.0, safetensors 0.8.0, numpy 2.4.6
(Scripts/requirements.txt). Run from anywhere:

    python3 Scripts/make_optim_fixtures.py

Outputs (Tests/TensorCoreTests/Fixtures/):
  optim/optimizers.json   initial parameters, the gradient of every step (stored, so Swift and
                          Python see identical inputs; one parameter has no gradient on some
                          steps) and, for every case, the parameters after every step, the
                          learning rate used at every step and (when clipping) the total norm.
                          torch.optim.SGD / Adam / AdamW run on CPU in float32, with
                          transformers' get_*_schedule_with_warmup driving LambdaLR and
                          torch.nn.utils.clip_grad_norm_ for clipping.
                          AdamWeightDecay and LAMB have no torch builtin: they are implemented
                          below in float32 numpy, following google-research/bert optimization.py
                          (AdamWeightDecayOptimizer + create_optimizer's schedule) and NVIDIA
                          apex FusedLAMB (csrc/multi_tensor_lamb.cu: adam_w_mode, grad
                          averaging, bias correction, trust ratio only for decayed tensors, 1
                          when either norm is 0; apex's internal max_grad_norm clipping is left
                          out, clipping is a separate step).
  optim/schedules.json    learning rate of every step 0..44 for every schedule kind, read back
                          from LambdaLR's param group (HF functions), plus the Google BERT
                          schedule (numpy port of create_optimizer).
  optim/clip.json         clip_grad_norm_ inputs, returned total norms and clipped gradients.
  safetensors/*.safetensors + safetensors/expected.json
                          files written by the Python safetensors package (F32, F16, BF16, I64,
                          I32, with __metadata__) and the values they hold (float32 bit
                          patterns / integers), plus a file used to check that our writer's
                          output is byte-identical to the reference writer.
"""
import json
import math
import os

import numpy as np
import torch
import transformers
from safetensors.numpy import save_file as np_save_file
from safetensors.torch import save_file as torch_save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TensorCoreTests", "Fixtures")
STEPS = 30
F32 = np.float32


def f32list(array):
    """Float32 values as JSON numbers with 9 significant digits (exact float32 round trip)."""
    return [float("%.9g" % v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


# ---------------------------------------------------------------------------------------------
# Shared inputs: parameters and the gradient of every step.
# ---------------------------------------------------------------------------------------------

rng = np.random.default_rng(20240611)
PARAM_SPECS = [
    ("encoder.weight", [4, 5]),
    ("encoder.bias", [5]),
    ("encoder.LayerNorm.weight", [3]),
    ("pooler.dense.weight", [2, 3]),  # starts at zero: exercises LAMB's ratio-1 path
]
INITIAL = {}
for name, shape in PARAM_SPECS:
    if name == "pooler.dense.weight":
        INITIAL[name] = np.zeros(shape, dtype=F32)
    else:
        INITIAL[name] = rng.normal(0.0, 0.5, size=shape).astype(F32)

GRADS = []  # one dict per step; None = parameter has no gradient on that step
for step in range(STEPS):
    scale = [0.05, 0.3, 1.0, 2.5][step % 4]  # total norms below and above a max norm of 1
    grads = {}
    for name, shape in PARAM_SPECS:
        if name == "encoder.LayerNorm.weight" and step % 4 == 3:
            grads[name] = None
        else:
            grads[name] = (rng.normal(0.0, 1.0, size=shape) * scale).astype(F32)
    GRADS.append(grads)

NAMES = [n for n, _ in PARAM_SPECS]
NO_DECAY = ("bias", "LayerNorm", "layer_norm")


def decays(name):
    return not any(p in name for p in NO_DECAY)


def groups_split(lr, wd, lr_no_decay=None):
    """Decayed group first, then the excluded names (bias / LayerNorm) with weight decay 0."""
    return [
        {"params": [n for n in NAMES if decays(n)], "lr": lr, "weight_decay": wd},
        {"params": [n for n in NAMES if not decays(n)], "lr": lr if lr_no_decay is None else lr_no_decay,
         "weight_decay": 0.0},
    ]


def one_group(lr, wd=0.0):
    return [{"params": list(NAMES), "lr": lr, "weight_decay": wd}]


# ---------------------------------------------------------------------------------------------
# Schedules (HF functions, read back through LambdaLR).
# ---------------------------------------------------------------------------------------------

def hf_scheduler(optimizer, spec):
    kind = spec["kind"]
    if kind is None:
        return None
    if kind == "constant":
        return transformers.get_constant_schedule(optimizer)
    if kind == "constant_with_warmup":
        return transformers.get_constant_schedule_with_warmup(optimizer, spec["warmup"])
    if kind == "linear":
        return transformers.get_linear_schedule_with_warmup(optimizer, spec["warmup"], spec["total"])
    if kind == "cosine":
        return transformers.get_cosine_schedule_with_warmup(optimizer, spec["warmup"], spec["total"],
                                                            num_cycles=spec["cycles"])
    if kind == "cosine_with_hard_restarts":
        return transformers.get_cosine_with_hard_restarts_schedule_with_warmup(
            optimizer, spec["warmup"], spec["total"], num_cycles=spec["cycles"])
    if kind == "polynomial":
        return transformers.get_polynomial_decay_schedule_with_warmup(
            optimizer, spec["warmup"], spec["total"], lr_end=spec["lr_end"], power=spec["power"])
    raise ValueError(kind)


def bert_original_multiplier(step, warmup, total):
    """google-research/bert create_optimizer: polynomial_decay(power 1, end 0) over `total`
    from step 0, replaced by step / warmup during warmup (computed in double here)."""
    if warmup and step < warmup:
        return step / warmup
    return 1.0 - min(step, total) / total


def make_schedules():
    base_lr = 1e-3
    specs = [
        {"kind": "constant"},
        {"kind": "constant_with_warmup", "warmup": 6},
        {"kind": "linear", "warmup": 5, "total": 30},
        {"kind": "linear", "warmup": 0, "total": 30},
        {"kind": "linear", "warmup": 30, "total": 30},
        {"kind": "cosine", "warmup": 5, "total": 30, "cycles": 0.5},
        {"kind": "cosine", "warmup": 0, "total": 25, "cycles": 1.25},
        {"kind": "cosine_with_hard_restarts", "warmup": 5, "total": 30, "cycles": 1},
        {"kind": "cosine_with_hard_restarts", "warmup": 4, "total": 34, "cycles": 3},
        {"kind": "polynomial", "warmup": 5, "total": 30, "lr_end": 1e-7, "power": 1.0},
        {"kind": "polynomial", "warmup": 3, "total": 30, "lr_end": 1e-5, "power": 0.5},
        {"kind": "polynomial", "warmup": 0, "total": 20, "lr_end": 2e-4, "power": 2.0},
    ]
    out = []
    steps = 45
    for spec in specs:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=base_lr)
        sched = hf_scheduler(opt, spec)
        lrs = []
        for _ in range(steps):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        out.append({**spec, "base_lr": base_lr, "lrs": lrs})
    for warmup, total in [(5, 30), (0, 30), (10, 30)]:
        lrs = [base_lr * bert_original_multiplier(s, warmup, total) for s in range(steps)]
        out.append({"kind": "bert_original", "warmup": warmup, "total": total, "base_lr": base_lr, "lrs": lrs})
    return out


def schedule_lrs(case):
    """Per-step learning rates of every group: HF schedules read back from LambdaLR driving a
    dummy optimizer with the same groups (lr_init = first group's lr, like torch's defaults);
    the Google BERT schedule from its numpy port."""
    spec = case["schedule"]
    if spec["kind"] == "bert_original":
        return [[g["lr"] * bert_original_multiplier(s, spec["warmup"], spec["total"]) for g in case["groups"]]
                for s in range(STEPS)]
    dummy = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": g["lr"]} for g in case["groups"]]
    opt = torch.optim.SGD(dummy, lr=case["groups"][0]["lr"])
    sched = hf_scheduler(opt, spec)
    lrs = []
    for _ in range(STEPS):
        lrs.append([g["lr"] for g in opt.param_groups])
        opt.step()
        if sched is not None:
            sched.step()
    return lrs


# ---------------------------------------------------------------------------------------------
# torch optimizers.
# ---------------------------------------------------------------------------------------------

def run_torch(case):
    params = {n: torch.nn.Parameter(torch.from_numpy(INITIAL[n].copy())) for n in NAMES}
    groups = [{"params": [params[n] for n in g["params"]], "lr": g["lr"], "weight_decay": g["weight_decay"]}
              for g in case["groups"]]
    kind, opts = case["optimizer"], case["options"]
    if kind == "sgd":
        opt = torch.optim.SGD(groups, lr=case["groups"][0]["lr"], momentum=opts.get("momentum", 0.0),
                              dampening=opts.get("dampening", 0.0), nesterov=opts.get("nesterov", False))
    elif kind == "adam":
        opt = torch.optim.Adam(groups, lr=case["groups"][0]["lr"], betas=tuple(opts.get("betas", (0.9, 0.999))),
                               eps=opts.get("eps", 1e-8))
    elif kind == "adamw":
        opt = torch.optim.AdamW(groups, lr=case["groups"][0]["lr"], betas=tuple(opts.get("betas", (0.9, 0.999))),
                                eps=opts.get("eps", 1e-8))
    else:
        raise ValueError(kind)
    sched = hf_scheduler(opt, case["schedule"])
    trajectory, lrs, norms = [], [], []
    for step in range(STEPS):
        lrs.append([g["lr"] for g in opt.param_groups])
        for n in NAMES:
            g = GRADS[step][n]
            params[n].grad = None if g is None else torch.from_numpy(g.copy())
        if case["clip"] is not None:
            total = torch.nn.utils.clip_grad_norm_([params[n] for n in NAMES], case["clip"])
            norms.append(float(total))
        opt.step()
        if sched is not None:
            sched.step()
        trajectory.append({n: f32list(params[n].detach().numpy()) for n in NAMES})
    return trajectory, lrs, norms


# ---------------------------------------------------------------------------------------------
# numpy reference optimizers (no torch builtin).
# ---------------------------------------------------------------------------------------------

def numpy_clip(grads, max_norm):
    """clip_grad_norm_ semantics (per-tensor norms, norm of norms, max/(total+1e-6) clamped)."""
    present = [g for g in grads.values() if g is not None]
    norms = [F32(math.sqrt(float(np.sum(g.astype(np.float64) ** 2)))) for g in present]
    total = F32(math.sqrt(sum(float(n) ** 2 for n in norms)))
    coef = min(F32(max_norm) / (total + F32(1e-6)), F32(1.0))
    return {k: (None if g is None else (g * F32(coef)).astype(F32)) for k, g in grads.items()}, float(total)


def l2(x):
    return F32(math.sqrt(float(np.sum(x.astype(np.float64) ** 2))))


def run_numpy(case, update):
    """Runs a numpy optimizer over the fixture gradients: per step the schedule's learning
    rates, optional clipping, then `update(name, grad, lr, weight_decay, params, state)` for
    every parameter with a gradient. Returns trajectory, learning rates and clip norms."""
    params = {n: INITIAL[n].copy() for n in NAMES}
    state = {"m": {n: np.zeros_like(params[n]) for n in NAMES},
             "v": {n: np.zeros_like(params[n]) for n in NAMES},
             "steps": {n: 0 for n in NAMES}}
    all_lrs = schedule_lrs(case)
    trajectory, lrs, norms = [], [], []
    for step in range(STEPS):
        group_lrs = all_lrs[step]
        lrs.append(group_lrs)
        grads = dict(GRADS[step])
        if case["clip"] is not None:
            grads, total = numpy_clip(grads, case["clip"])
            norms.append(total)
        for gi, group in enumerate(case["groups"]):
            lr = F32(group_lrs[gi])
            wd = F32(group["weight_decay"])
            for n in group["params"]:
                if grads[n] is not None:
                    update(n, grads[n], lr, wd, params, state)
        trajectory.append({n: f32list(params[n]) for n in NAMES})
    return trajectory, lrs, norms


def run_adam_weight_decay(case):
    """google-research/bert AdamWeightDecayOptimizer: no bias correction, eps outside the
    sqrt, decay added to the update, param -= lr * update. All arithmetic in float32."""
    opts = case["options"]
    b1, b2, eps = opts["betas"][0], opts["betas"][1], opts["eps"]

    def update(n, g, lr, wd, params, state):
        m, v = state["m"], state["v"]
        m[n] = F32(b1) * m[n] + F32(1.0 - b1) * g
        v[n] = F32(b2) * v[n] + F32(1.0 - b2) * (g * g)
        u = m[n] / (np.sqrt(v[n]) + F32(eps))
        if wd != 0:
            u = u + wd * params[n]
        params[n] = (params[n] - lr * u).astype(F32)

    return run_numpy(case, update)


def run_lamb(case):
    """NVIDIA apex FusedLAMB (multi_tensor_lamb.cu) in float32: scalars are C floats, so
    1 - beta is computed in float; bias corrections use pow(double(beta), step)."""
    opts = case["options"]
    b1, b2, eps = F32(opts["betas"][0]), F32(opts["betas"][1]), F32(opts["eps"])
    b3 = F32(F32(1.0) - b1)
    one_minus_b2 = F32(F32(1.0) - b2)

    def update(n, g, lr, decay, params, state):
        m, v, steps = state["m"], state["v"], state["steps"]
        steps[n] += 1
        t = steps[n]
        bc1 = F32(1 - math.pow(float(b1), t))
        bc2 = F32(1 - math.pow(float(b2), t))
        p = params[n]
        p_norm = l2(p)
        m[n] = m[n] * b1 + b3 * g
        v[n] = v[n] * b2 + one_minus_b2 * g * g
        m_hat = m[n] / bc1
        v_hat = v[n] / bc2
        denom = np.sqrt(v_hat) + eps
        decay_term = (decay * p) if decay != 0 else np.zeros_like(p)
        u = m_hat / denom + decay_term
        u_norm = l2(u)
        ratio = lr
        if decay != 0 and u_norm != 0 and p_norm != 0:
            ratio = F32(lr * F32(p_norm / u_norm))
        params[n] = (p - ratio * u).astype(F32)

    return run_numpy(case, update)


def make_optimizers():
    none = {"kind": None}
    linear = {"kind": "linear", "warmup": 5, "total": STEPS}
    cases = [
        {"name": "sgd_plain", "optimizer": "sgd", "options": {}, "groups": one_group(0.1),
         "schedule": none, "clip": None},
        {"name": "sgd_momentum_dampening", "optimizer": "sgd", "options": {"momentum": 0.9, "dampening": 0.2},
         "groups": one_group(0.05), "schedule": none, "clip": None},
        {"name": "sgd_nesterov", "optimizer": "sgd", "options": {"momentum": 0.8, "nesterov": True},
         "groups": one_group(0.05), "schedule": none, "clip": None},
        {"name": "sgd_weight_decay_groups", "optimizer": "sgd", "options": {"momentum": 0.5},
         "groups": groups_split(0.08, 0.05, lr_no_decay=0.03), "schedule": none, "clip": None},
        {"name": "adam", "optimizer": "adam", "options": {}, "groups": one_group(0.01),
         "schedule": none, "clip": None},
        {"name": "adam_l2_betas", "optimizer": "adam", "options": {"betas": [0.8, 0.99], "eps": 1e-6},
         "groups": groups_split(0.02, 0.1), "schedule": none, "clip": None},
        {"name": "adamw_groups", "optimizer": "adamw", "options": {}, "groups": groups_split(0.01, 0.01, 0.004),
         "schedule": none, "clip": None},
        {"name": "adamw_linear_clip", "optimizer": "adamw", "options": {}, "groups": groups_split(0.02, 0.1),
         "schedule": linear, "clip": 1.0},
        {"name": "adam_weight_decay", "optimizer": "adam_weight_decay",
         "options": {"betas": [0.9, 0.999], "eps": 1e-6}, "groups": groups_split(0.01, 0.01),
         "schedule": {"kind": "bert_original", "warmup": 5, "total": STEPS}, "clip": 1.0},
        {"name": "lamb", "optimizer": "lamb", "options": {"betas": [0.9, 0.999], "eps": 1e-6},
         "groups": groups_split(0.01, 0.01), "schedule": {"kind": None}, "clip": None},
        {"name": "lamb_poly_clip", "optimizer": "lamb", "options": {"betas": [0.9, 0.999], "eps": 1e-6},
         "groups": groups_split(0.02, 0.01),
         "schedule": {"kind": "polynomial", "warmup": 4, "total": STEPS, "lr_end": 0.0, "power": 0.5}, "clip": 1.0},
    ]
    for case in cases:
        if case["optimizer"] == "adam_weight_decay":
            traj, lrs, norms = run_adam_weight_decay(case)
        elif case["optimizer"] == "lamb":
            traj, lrs, norms = run_lamb(case)
        else:
            traj, lrs, norms = run_torch(case)
        case["trajectory"], case["lrs"], case["norms"] = traj, lrs, norms
        if case["schedule"]["kind"] is None:
            case["schedule"] = None
    return {
        "steps": STEPS,
        "large": make_large(),
        "params": [{"name": n, "shape": s, "values": f32list(INITIAL[n])} for n, s in PARAM_SPECS],
        "grads": [{n: (None if g[n] is None else f32list(g[n])) for n in NAMES} for g in GRADS],
        "cases": cases,
    }


# ---------------------------------------------------------------------------------------------
# A parameter larger than one optimizer chunk (65536 elements), with values and gradients given
# by integer formulas that Swift evaluates identically; only every 101st final value is stored.
# ---------------------------------------------------------------------------------------------

LARGE_SIZE, LARGE_STEPS, LARGE_STRIDE = 70001, 3, 101


def large_initial():
    i = np.arange(LARGE_SIZE, dtype=np.int64)
    return (((i * 7919) % 1000) / 1000.0 - 0.5).astype(np.float32)


def large_grad(step):
    i = np.arange(LARGE_SIZE, dtype=np.int64)
    return ((((i * 31 + step * 17) % 2001) - 1000) / 100000.0).astype(np.float32)


def make_large():
    out = {"size": LARGE_SIZE, "steps": LARGE_STEPS, "stride": LARGE_STRIDE, "cases": []}
    # torch AdamW (lr 1e-2, weight decay 0.01) with clip_grad_norm_(1.0) every step.
    p = torch.nn.Parameter(torch.from_numpy(large_initial()))
    opt = torch.optim.AdamW([p], lr=1e-2, weight_decay=0.01)
    norms = []
    for step in range(LARGE_STEPS):
        p.grad = torch.from_numpy(large_grad(step))
        norms.append(float(torch.nn.utils.clip_grad_norm_([p], 1.0)))
        opt.step()
    out["cases"].append({"name": "adamw", "norms": norms,
                         "sample": f32list(p.detach().numpy()[::LARGE_STRIDE])})
    # numpy LAMB (apex semantics as in run_lamb), lr 1e-2, weight decay 0.01, no clipping.
    b1, b2, eps, decay, lr = F32(0.9), F32(0.999), F32(1e-6), F32(0.01), F32(1e-2)
    b3, omb2 = F32(F32(1.0) - b1), F32(F32(1.0) - b2)
    p = large_initial()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for step in range(LARGE_STEPS):
        g = large_grad(step)
        t = step + 1
        bc1, bc2 = F32(1 - math.pow(float(b1), t)), F32(1 - math.pow(float(b2), t))
        p_norm = l2(p)
        m = m * b1 + b3 * g
        v = v * b2 + omb2 * g * g
        u = (m / bc1) / (np.sqrt(v / bc2) + eps) + decay * p
        u_norm = l2(u)
        ratio = F32(lr * F32(p_norm / u_norm))
        p = (p - ratio * u).astype(F32)
    out["cases"].append({"name": "lamb", "norms": [], "sample": f32list(p[::LARGE_STRIDE])})
    return out


# ---------------------------------------------------------------------------------------------
# clip_grad_norm_.
# ---------------------------------------------------------------------------------------------

def make_clip():
    cases = []
    crng = np.random.default_rng(7)
    for i, (max_norm, norm_type, scale) in enumerate([(1.0, 2.0, 3.0), (1.0, 2.0, 0.01), (0.5, 2.0, 1.0),
                                                     (5.0, 2.0, 10.0), (1.0, float("inf"), 2.0),
                                                     (3.0, float("inf"), 0.1)]):
        shapes = [[3, 4], [7], [2, 2, 2]]
        grads = [(crng.normal(size=s) * scale).astype(F32) for s in shapes]
        params = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g.copy())
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        cases.append({
            "max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
            "shapes": shapes, "grads": [f32list(g) for g in grads],
            "total_norm": float(total), "clipped": [f32list(p.grad.numpy()) for p in params],
        })
    return cases


# ---------------------------------------------------------------------------------------------
# safetensors files written by the reference package.
# ---------------------------------------------------------------------------------------------

def bits(array_f32):
    return [int(b) for b in np.asarray(array_f32, dtype=np.float32).reshape(-1).view(np.uint32)]


def make_safetensors(directory):
    os.makedirs(directory, exist_ok=True)
    srng = np.random.default_rng(11)
    specials = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1035156e-05, 5.9604645e-08, 1e-3, np.inf, -np.inf, np.nan],
                        dtype=np.float32)
    f32 = np.concatenate([specials, srng.normal(size=13).astype(np.float32)]).reshape(4, 6)
    f16 = torch.from_numpy(np.concatenate([specials, srng.normal(size=7).astype(np.float32)])).to(torch.float16)
    f16 = f16.reshape(3, 6)
    bf16 = torch.from_numpy(np.concatenate([specials, np.array([3e38, -1e-39], dtype=np.float32),
                                            srng.normal(size=3).astype(np.float32)])).to(torch.bfloat16).reshape(2, 8)
    i64 = torch.tensor([[0, -1, 2**40, -(2**62)], [7, 9, -123456789012, 2**63 - 1]], dtype=torch.int64)
    i32 = torch.tensor([0, -1, 2**31 - 1, -(2**31), 42], dtype=torch.int32)
    scalar = torch.tensor(3.25, dtype=torch.float32)
    empty = torch.zeros(0, 3, dtype=torch.float32)
    tensors = {"weights.f32": torch.from_numpy(f32), "weights.f16": f16, "weights.bf16": bf16,
               "ids.i64": i64, "ids.i32": i32, "scalar": scalar, "empty": empty}
    metadata = {"format": "pt", "note": "written by safetensors " + __import__("safetensors").__version__}
    torch_save_file(tensors, os.path.join(directory, "dtypes.safetensors"), metadata=metadata)
    expected = {"metadata": metadata, "tensors": {}}
    for name, t in tensors.items():
        entry = {"shape": list(t.shape)}
        if t.dtype in (torch.int64, torch.int32):
            entry["ints"] = [int(x) for x in t.reshape(-1).tolist()]
        else:
            entry["float_bits"] = bits(t.to(torch.float32).numpy())
        expected["tensors"][name] = entry

    # Reference output for the writer: F32 + I64 with one metadata key (its order is then fixed).
    w_f32_a = srng.normal(size=(3, 2)).astype(np.float32)
    w_f32_b = srng.normal(size=(5,)).astype(np.float32)
    w_i64 = np.array([3, -4, 5], dtype=np.int64)
    np_save_file({"layer.b": w_f32_b, "layer.a": w_f32_a, "A.ids": w_i64, "z.scalar": np.array(1.5, dtype=np.float32)},
                 os.path.join(directory, "writer_reference.safetensors"), metadata={"format": "np"})
    expected["writer_reference"] = {
        "metadata": {"format": "np"},
        "floats": {"layer.a": {"shape": [3, 2], "float_bits": bits(w_f32_a)},
                   "layer.b": {"shape": [5], "float_bits": bits(w_f32_b)},
                   "z.scalar": {"shape": [], "float_bits": bits(np.array([1.5], dtype=np.float32))}},
        "ints": {"A.ids": {"shape": [3], "ints": [3, -4, 5]}},
    }
    with open(os.path.join(directory, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


def check_pins():
    """Refuses to write fixtures with versions other than the pins of Scripts/requirements.txt."""
    import safetensors
    pins = {}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements.txt")) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if "==" in line:
                name, version = line.split("==")
                pins[name.strip()] = version.strip()
    found = {"torch": torch.__version__.split("+")[0], "transformers": transformers.__version__,
             "safetensors": safetensors.__version__, "numpy": np.__version__}
    wrong = {k: (v, pins[k]) for k, v in found.items() if k in pins and v != pins[k]}
    if wrong:
        raise SystemExit(f"version mismatch (found, pinned): {wrong}; pip install -r Scripts/requirements.txt")


def main():
    check_pins()
    torch.set_num_threads(1)
    optim_dir = os.path.join(ROOT, "optim")
    os.makedirs(optim_dir, exist_ok=True)
    with open(os.path.join(optim_dir, "optimizers.json"), "w") as f:
        json.dump(make_optimizers(), f, separators=(",", ":"))
    with open(os.path.join(optim_dir, "schedules.json"), "w") as f:
        json.dump(make_schedules(), f, indent=1)
    with open(os.path.join(optim_dir, "clip.json"), "w") as f:
        json.dump(make_clip(), f, separators=(",", ":"))
    make_safetensors(os.path.join(ROOT, "safetensors"))
    print("wrote fixtures under", os.path.normpath(ROOT))


if __name__ == "__main__":
    main()
