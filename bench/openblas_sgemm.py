"""float32 matrix products on numpy's BLAS (Debian: OpenBLAS), the shapes of
BenchmarkGemm in internal/sgemm, best of 7 timings each; one line per shape:
"MxNxK GFLOP/s". bench/sgemm.sh runs it beside ours."""
import sys
import time

import numpy as np

shapes = [(128, 256, 784), (128, 784, 256), (784, 256, 128), (512, 256, 784), (1024, 256, 784), (1024, 64, 256), (1024, 32, 64)]
rng = np.random.default_rng(1)
for m, n, k in shapes:
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    reps = max(1, int(3e8 / (2 * m * n * k)))
    best = 1e9
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        best = min(best, (time.perf_counter() - t) / reps)
    print(f"{m}x{n}x{k} {2 * m * n * k / best / 1e9:.1f}", flush=True)
