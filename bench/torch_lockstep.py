#!/usr/bin/python3
"""Replay a run recorded by bench/lockstep in PyTorch, from the same start.

usage:
    go run ./bench/lockstep -net vae -epochs 10 -out DIR
    OMP_WAIT_POLICY=passive /usr/bin/python3 bench/torch_lockstep.py DIR [--threads N] [--data DIR]

PyTorch starts from our initial weights and trains on our batches, in our order,
with our noise (a VAE's eps), with torch.optim.Adam at our learning rate, on the
nets of bench/torch_ref.py. It prints, side by side, the step losses (at steps 1-3,
10, 100 and at the end of every epoch; --show N for the first N), every epoch's mean loss, and the test
figures of both trained weight sets, both evaluated here by PyTorch (the vae's
sampled test loss with the same eps for both) and ours as cmd/train measured it.

Float32 rounding differs between the two (summation order, fused operations), and
training amplifies the differences, so the two runs drift apart over the steps the
way two seeds do; the deeper the net, the sooner (Adam's first updates are
lr·sign(g), so a gradient near 0 can flip with rounding). The first steps must
agree closely: if one of the first 3 differs by more than 1e-4 relative, it says
so and exits 1, since the two frameworks then compute different things.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_ref as R  # noqa: E402

TWINS = ("linear", "mlp", "deep", "conv", "vae")  # nets with a twin in torch_ref.py, by the same name


def load_params(model, flat, specs):
    """Copy our parameters, concatenated in declaration order, into model: a 2-D
    (in, out) weight is transposed to PyTorch's (out, in); the rest (biases of
    shape (1, out), convolution kernels (out, in, kh, kw)) keep their order."""
    ps = list(model.parameters())
    if len(ps) != len(specs):
        sys.exit(f"torch_lockstep: the record has {len(specs)} parameters, PyTorch's net {len(ps)}")
    at = 0
    with torch.no_grad():
        for p, spec in zip(ps, specs):
            shape = spec["shape"]
            size = int(np.prod(shape))
            v = flat[at:at + size].reshape(shape)
            at += size
            if p.dim() == 2:
                if tuple(shape) != tuple(p.shape[::-1]):
                    sys.exit(f"torch_lockstep: {spec['name']} has shape {shape}, PyTorch's weight {tuple(p.shape)}")
                v = v.T
            elif size != p.numel():
                sys.exit(f"torch_lockstep: {spec['name']} has {size} values, PyTorch's parameter {p.numel()}")
            p.copy_(torch.from_numpy(np.ascontiguousarray(v)).reshape(p.shape))
    if at != flat.size:
        sys.exit(f"torch_lockstep: the parameter file holds {flat.size} values, the record names {at}")


def loss_fn(model, name):
    if name == "mse":
        return lambda x, noise: F.mse_loss(model(x), x)
    if name == "bce":
        return lambda x, noise: F.binary_cross_entropy_with_logits(model.logits(x), x)
    if name == "bce-sum":
        return lambda x, noise: model.loss(x, noise[0])
    sys.exit(f"torch_lockstep: loss {name!r} is not supported")


def evaluate(model, xte, seed, vae):
    """torch_ref's test figures, the vae's eps drawn from torch's RNG seeded with seed."""
    torch.manual_seed(seed)
    return R.evaluate(model, xte, vae)


def main():
    p = argparse.ArgumentParser(description="replay a bench/lockstep record in PyTorch")
    p.add_argument("record", help="folder written by go run ./bench/lockstep")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--show", type=int, default=3, help="print the losses of the first N steps (default 3)")
    p.add_argument("--data", default="", help="folder with the MNIST IDX files (default: GoMNIST's)")
    a = p.parse_args()
    path = lambda f: os.path.join(a.record, f)  # noqa: E731
    try:
        with open(path("lockstep.json")) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"torch_lockstep: {path('lockstep.json')}: {e}")
    if m["net"] not in TWINS:
        sys.exit(f"torch_lockstep: net {m['net']!r} has no PyTorch twin (have {', '.join(TWINS)})")
    torch.set_num_threads(a.threads)

    model = R.build(m["net"])
    load_params(model, np.fromfile(path("init.f32"), np.float32), m["params"])
    folder = R.find_data(a.data)
    xtr = torch.from_numpy(R.load(folder, "train-images-idx3-ubyte"))
    xte = torch.from_numpy(R.load(folder, "t10k-images-idx3-ubyte"))
    n, B, spe, E = m["train"], m["batch"], m["steps_per_epoch"], m["epochs"]
    if xtr.shape[0] < n:
        sys.exit(f"torch_lockstep: the record trained on {n} images, {folder} has {xtr.shape[0]}")
    xtr = xtr[:n]  # lockstep -limit n trains on the first n
    perm = torch.from_numpy(np.fromfile(path("perm.i32"), np.int32).astype(np.int64))
    ours = np.fromfile(path("loss.f64"), np.float64)
    sizes = [int(np.prod(t["shape"])) for t in m["noise"]]
    noise = np.fromfile(path("noise.f32"), np.float32).reshape(E * spe, sum(sizes)) if sizes else None
    if perm.numel() != E * n or ours.size != E * spe:
        sys.exit("torch_lockstep: the record's files do not match lockstep.json (an interrupted run?)")

    opt = torch.optim.Adam(model.parameters(), lr=m["lr"])
    loss = loss_fn(model, m["loss"])
    show = set(range(a.show)) | {0, 1, 9, 99} | {e * spe + spe - 1 for e in range(E)}
    print(f"{m['net']}, seed {m['seed']}: {E} epochs of {spe} steps, replayed in PyTorch {torch.__version__}")
    print(f"{'step':>6} {'ours':>14} {'pytorch':>14} {'relative difference':>20}")
    theirs = np.zeros(E * spe)
    for t in range(E * spe):
        e, s = divmod(t, spe)
        xb = xtr[perm[e * n + s * B: e * n + (s + 1) * B]]
        nb = []
        if noise is not None:
            at = 0
            for t_spec, size in zip(m["noise"], sizes):
                nb.append(torch.from_numpy(noise[t, at:at + size].reshape(t_spec["shape"])))
                at += size
        opt.zero_grad(set_to_none=True)
        l = loss(xb, nb)
        l.backward()
        opt.step()
        theirs[t] = l.item()
        rel = abs(ours[t] - theirs[t]) / abs(theirs[t])
        if t in show:
            print(f"{t + 1:>6} {ours[t]:>14.7g} {theirs[t]:>14.7g} {rel:>20.2e}", flush=True)
        if t < 3 and rel > 1e-4:
            sys.exit(f"torch_lockstep: step {t + 1} differs by {rel:.2e} relative "
                     f"(ours {ours[t]:.7g}, PyTorch {theirs[t]:.7g}): the two compute different things")
    print("epoch mean loss:")
    for e in range(E):
        print(f"{e + 1:>6} {m['epoch_loss'][e]:>14.7g} {theirs[e * spe:(e + 1) * spe].mean():>14.7g}")

    vae = m["net"] == "vae"
    tr = evaluate(model, xte, m["seed"], vae)
    load_params(model, np.fromfile(path("final.f32"), np.float32), m["params"])
    ou = evaluate(model, xte, m["seed"], vae)
    print("test, evaluated by PyTorch:")
    print(f"  weights trained by ours:    {ou}")
    print(f"  weights trained by PyTorch: {tr}")
    own = {"test_mse": m["ours_test"]["MSE"]}
    if m.get("ours_test_sampled"):
        own["test_loss"] = m["ours_test_sampled"]["Loss"]
    print(f"test, ours as cmd/train measures it: {own}")
    print(json.dumps({"net": m["net"], "seed": m["seed"], "epochs": E,
                      "epoch_loss_ours": m["epoch_loss"], "epoch_loss_torch": [theirs[e * spe:(e + 1) * spe].mean() for e in range(E)],
                      "test_ours_weights": ou, "test_torch_weights": tr, "test_ours_measured": own}))


if __name__ == "__main__":
    main()
