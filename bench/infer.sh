#!/usr/bin/env bash
# bench/infer.sh [CASE...] — encoding MNIST's 10,000 test images, ours
# (bench/infer) against PyTorch in inference mode (bench/torch_infer.py), the
# same nets and weight shapes; alternating, ROUNDS times, each side the best
# of PASSES passes (PyTorch: of batch 256 and 1000). A case is a net, from the
# uint8 images (mlp, conv), or the mlp from a float32 table: mlp-table, of
# pixel/255, as a CSV of the images gives; mlp-dense, of (pixel+0.5)/256, in
# which no value is zero, so that skipping zero inputs gains nothing. Ends with, per case, the median over rounds of each side's rate and
# of the ratio ours / PyTorch within a round. Needs Debian's python3-torch
# (see bench/README.md). To compare the AVX2 paths on an AVX-512 CPU:
# AEGRAPH_CPU=avx2 ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell bench/infer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
PASSES=${PASSES:-20}
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(mlp mlp-table mlp-dense conv)
go build -o /tmp/aegraph-infer ./bench/infer
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo); ours AEGRAPH_CPU=${AEGRAPH_CPU:-auto} ($(go run ./internal/isa/cmd/isapath 2>&1)); PyTorch ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-auto}, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for r in $(seq "$ROUNDS"); do
  for c in "${CASES[@]}"; do
    net=${c%%-*} input=images
    [ "$net" = "$c" ] || input=${c#*-}
    /tmp/aegraph-infer -net "$net" -input "$input" -rounds "$PASSES" | tee -a "$log"
    OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/torch_infer.py "$net" "$PASSES" "$input" | tee -a "$log"
  done
done
echo
echo "median over $ROUNDS rounds (best of $PASSES passes each):"
for c in "${CASES[@]}"; do
  net=${c%%-*} input=images
  [ "$net" = "$c" ] || input=${c#*-}
  awk -v net="$net" -v input="$input" -v name="$c" '
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == "aegraph" && $2 == net && $4 == input { if (r > 0) { ratio[r] = ours / theirs }; r++; ours = $(NF - 3); o[r] = ours; g[r] = $(NF - 1); theirs = 0 }
    $1 == "pytorch" && $2 == net && $4 == input { if ($(NF - 3) > theirs) theirs = $(NF - 3); t[r] = theirs }
    END {
      ratio[r] = ours / theirs
      list = ""
      for (i = 1; i <= r; i++) list = list sprintf("%s%.2f", (i > 1 ? " " : ""), ratio[i])
      printf "%-9s ours %.0f images/s (%.1f GFLOP/s), PyTorch %.0f images/s: ours / PyTorch %.2f× (by round: %s)\n", name, median(o, r), median(g, r), median(t, r), median(ratio, r), list
    }' "$log"
done
