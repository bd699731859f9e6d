#!/usr/bin/env bash
# bench/infer.sh [NET...] — encoding MNIST's 10,000 test images, ours
# (bench/infer) against PyTorch in inference mode (bench/torch_infer.py), the
# same nets and weight shapes, from the uint8 images; alternating, ROUNDS times.
# Needs Debian's python3-torch (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
NETS=("$@")
[ ${#NETS[@]} -gt 0 ] || NETS=(mlp conv)
go build -o /tmp/aegraph-infer ./bench/infer
for r in $(seq "$ROUNDS"); do
  for net in "${NETS[@]}"; do
    /tmp/aegraph-infer -net "$net"
    OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/torch_infer.py "$net"
  done
done
