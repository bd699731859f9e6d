#!/usr/bin/env bash
# bench/sgemm.sh — our float32 gemm (internal/sgemm, BenchmarkGemm, dense
# operands) against OpenBLAS through numpy, on the mlp's shapes, the same
# threads (THREADS, default 2: GOMAXPROCS and OPENBLAS_NUM_THREADS),
# alternating ROUNDS times (default 5); prints per shape the median GFLOP/s
# of each side and of the per-round ratio.
#
#   bench/sgemm.sh                                   # the CPU's best paths
#   AEGRAPH_CPU=avx2 OPENBLAS_CORETYPE=Haswell bench/sgemm.sh   # AVX2 against AVX2
#
# Needs Debian's python3-numpy and libopenblas0-pthread.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
THREADS=${THREADS:-2}
PATH_NAME=$(go run ./internal/isa/cmd/isapath | cut -d' ' -f1)
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo); ours $(go run ./internal/isa/cmd/isapath); OpenBLAS OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}; threads $THREADS"
go test -c -o /tmp/aegraph-sgemm.test ./internal/sgemm
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for r in $(seq "$ROUNDS"); do
  /tmp/aegraph-sgemm.test -test.run XX -test.bench "Gemm/$PATH_NAME/" -test.cpu "$THREADS" -test.benchtime 0.5s |
    awk -v r="$r" '/GFLOP/ { split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); for (i = 1; i <= NF; i++) if ($(i+1) == "GFLOP/s") print "ours", r, p[3], $i }' | tee -a "$log"
  OPENBLAS_NUM_THREADS=$THREADS /usr/bin/python3 bench/openblas_sgemm.py | awk -v r="$r" '{ print "openblas", r, $1, $2 }' | tee -a "$log"
done
echo
echo "median over $ROUNDS rounds, GFLOP/s:"
awk '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { v[$1, $3, $2] = $4; shapes[$3] = 1; rounds[$2] = 1 }
  END {
    printf "%-14s %8s %9s %8s  %s\n", "m×n×k", "ours", "OpenBLAS", "ratio", "(by round)"
    for (s in shapes) {
      n = 0; list = ""
      for (r in rounds) if ((("ours", s, r) in v) && (("openblas", s, r) in v)) {
        n++; o[n] = v["ours", s, r]; b[n] = v["openblas", s, r]; q[n] = o[n] / b[n]; list = list sprintf(" %.2f", q[n])
      }
      if (n) printf "%-14s %8.1f %9.1f %7.2f×  (%s)\n", s, median(o, n), median(b, n), median(q, n), substr(list, 2)
    }
  }' "$log" | sort -t x -k1,1n -k2,2n
