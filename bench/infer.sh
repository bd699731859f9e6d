#!/usr/bin/env bash
# bench/infer.sh [NET...] — encoding MNIST's 10,000 test images, ours
# (bench/infer) against PyTorch in inference mode (bench/torch_infer.py), the
# same nets and weight shapes, from the uint8 images; alternating, ROUNDS
# times, each side the best of PASSES passes (PyTorch: of batch 256 and 1000).
# Ends with, per net, the median over rounds of each side's rate and of the
# ratio ours / PyTorch within a round. Needs Debian's python3-torch (see
# bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
PASSES=${PASSES:-20}
NETS=("$@")
[ ${#NETS[@]} -gt 0 ] || NETS=(mlp conv)
go build -o /tmp/aegraph-infer ./bench/infer
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for r in $(seq "$ROUNDS"); do
  for net in "${NETS[@]}"; do
    /tmp/aegraph-infer -net "$net" -rounds "$PASSES" | tee -a "$log"
    OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/torch_infer.py "$net" "$PASSES" | tee -a "$log"
  done
done
echo
echo "median over $ROUNDS rounds (best of $PASSES passes each):"
for net in "${NETS[@]}"; do
  awk -v net="$net" '
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == "aegraph" && $2 == net { if (r > 0) { ratio[r] = ours / theirs }; r++; ours = $(NF - 3); o[r] = ours; g[r] = $(NF - 1); theirs = 0 }
    $1 == "pytorch" && $2 == net { if ($(NF - 3) > theirs) theirs = $(NF - 3); t[r] = theirs }
    END {
      ratio[r] = ours / theirs
      list = ""
      for (i = 1; i <= r; i++) list = list sprintf("%s%.2f", (i > 1 ? " " : ""), ratio[i])
      printf "%-4s ours %.0f images/s (%.1f GFLOP/s), PyTorch %.0f images/s: ours / PyTorch %.2f× (by round: %s)\n", net, median(o, r), median(g, r), median(t, r), median(ratio, r), list
    }' "$log"
done
