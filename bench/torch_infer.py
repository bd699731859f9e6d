#!/usr/bin/env python3
"""torch_infer.py NET [PASSES] [INPUT]: PyTorch encoding MNIST's 10,000 test
images with NET's encoder (mlp or conv, as bench/torch_ref.py builds them),
from the input to the codes, under torch.no_grad, at batch 256 and 1000; the
best of PASSES passes of each (default 20). INPUT is images (the uint8 images,
the default), table (a float32 array of pixel/255) or dense (a float32 array
of (pixel+0.5)/256), as in bench/infer -input. Prints images/s and the
encoder's GFLOP/s, for bench/infer.sh.
"""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_ref  # noqa: E402

FLOPS = {"mlp": 2 * (784 * 256 + 256 * 64 + 64 * 32), "conv": 2 * (28 * 28 * 16 * 9 + 14 * 14 * 8 * 16 * 9)}


def main():
    net = sys.argv[1]
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    source = sys.argv[3] if len(sys.argv) > 3 else "images"
    torch.set_num_threads(2)
    folder = torch_ref.find_data("")
    path = os.path.join(folder, "t10k-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    _, n, rows, cols = struct.unpack(">IIII", raw[:16])
    u8 = np.frombuffer(raw, np.uint8, offset=16).reshape(n, rows * cols).copy()
    model = torch_ref.build(net).eval()
    enc = model.enc if net != "conv" else (lambda x: model.enc(x.view(-1, 1, 28, 28)))
    offset, scale = {"images": (0, 255), "table": (0, 255), "dense": (0.5, 256)}[source]
    table = (u8.astype(np.float32) + offset) / scale
    for batch in (256, 1000):
        best = float("inf")
        with torch.no_grad():
            for _ in range(passes):
                t = time.perf_counter()
                for i in range(0, n, batch):
                    if source != "images":
                        x = torch.from_numpy(table[i:i + batch])
                    else:
                        x = torch.from_numpy(u8[i:i + batch]).float() / 255.0
                    enc(x)
                best = min(best, time.perf_counter() - t)
        print("pytorch %-4s encoder, %-6s batch %4d: %d images in %.1f ms (best of %d): %.0f images/s, %.1f GFLOP/s"
              % (net, source, batch, n, best * 1e3, passes, n / best, FLOPS[net] * n / best / 1e9))


if __name__ == "__main__":
    main()
