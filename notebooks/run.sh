#!/usr/bin/env bash
# Executes the GoNB notebooks in this folder headless and fails on any error
# output, including a panic inside a cell (which nbconvert alone lets pass).
#
#   bash notebooks/run.sh                  # every notebooks/*.ipynb; outputs go to a temporary copy
#   bash notebooks/run.sh 02-train-and-look.ipynb
#   bash notebooks/run.sh -update          # also write the fresh outputs back into the notebooks
#   bash notebooks/run.sh -gophernotes     # the Gophernotes edition (needs a gophernotes kernel, see README)
#   bash notebooks/run.sh -install         # only install (with the notebook server, to open them), run nothing
#
# Installs what is missing, and only that: Jupyter and graphviz from Debian
# packages, GoNB v0.10.6 and goimports through the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PATH:/usr/local/go/bin"
GOBIN_DIR="$(go env GOPATH | cut -d: -f1)/bin"
export PATH="$PATH:$GOBIN_DIR"
export PYDEVD_DISABLE_FILE_VALIDATION=1
# the project's module path is unknown to the checksum database (and to the
# proxy: the notebooks replace it by the project's folder)
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/aegraph/aegraph"
GONB_VERSION=v0.10.6
GOIMPORTS_VERSION=v0.40.0

update=0 install=0 kernel=gonb dir=. files=()
for a in "$@"; do
  case "$a" in
    -update) update=1 ;;
    -install) install=1 ;;
    -gophernotes) kernel=gophernotes dir=gophernotes ;;
    *) files+=("$a") ;;
  esac
done
if [ ${#files[@]} -eq 0 ]; then
  files=("$dir"/[0-9]*.ipynb)
fi

# --- tools ----------------------------------------------------------------
pkgs=()
command -v jupyter-nbconvert >/dev/null || pkgs+=(python3-nbconvert jupyter-nbconvert jupyter-client python3-ipykernel)
command -v dot >/dev/null || pkgs+=(graphviz)
if [ "$install" = 1 ]; then command -v jupyter-notebook >/dev/null || pkgs+=(jupyter-notebook); fi
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "notebooks: installing ${pkgs[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

if [ "$kernel" = gonb ]; then
  if ! [ -x "$GOBIN_DIR/goimports" ]; then
    echo "notebooks: installing goimports $GOIMPORTS_VERSION"
    go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
  fi
  stamp="$GOBIN_DIR/.gonb-$GONB_VERSION"
  if ! [ -x "$GOBIN_DIR/gonb" ] || ! [ -e "$stamp" ]; then
    # `go install …@version` can fail on a deprecation look-up; a throw-away
    # module that requires the pinned version builds it.
    echo "notebooks: building GoNB $GONB_VERSION"
    tmp=$(mktemp -d)
    (
      cd "$tmp"
      printf 'module gonbbuild\n\ngo 1.26\n' >go.mod
      printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/janpfeifer/gonb"\n' >tools.go
      go get "github.com/janpfeifer/gonb@$GONB_VERSION" >/dev/null 2>&1 || go get "github.com/janpfeifer/gonb@$GONB_VERSION"
      go build -o "$GOBIN_DIR/gonb" github.com/janpfeifer/gonb
    )
    rm -rf "$tmp"
    touch "$stamp"
  fi
  # (re)register the kernel; --force_deps: gopls (autocompletion only) is optional
  "$GOBIN_DIR/gonb" --install --force_deps >/dev/null 2>&1 || "$GOBIN_DIR/gonb" --install --force_deps
  # GoNB runs go and goimports from the kernel's PATH: give it this one, so a
  # Jupyter started from a shell without $GOPATH/bin on PATH works too
  /usr/bin/python3 - "$PATH" <<'PY'
import json, os, subprocess, sys
specs = json.loads(subprocess.check_output(["jupyter", "kernelspec", "list", "--json"]))
path = os.path.join(specs["kernelspecs"]["gonb"]["resource_dir"], "kernel.json")
with open(path) as f:
    kernel = json.load(f)
kernel.setdefault("env", {})["PATH"] = sys.argv[1]
with open(path, "w") as f:
    json.dump(kernel, f)
PY
else
  # gomacro `go get`s the project's module (replaced by its folder), which the
  # proxy refuses with 403: "|off" turns that into "not found", so the replace
  # is used; every other module still comes from the proxy.
  export GOPROXY="$(go env GOPROXY | sed 's/[,|]direct$//; s/[,|]off$//')|off"
  GOPATH0=$(go env GOPATH | cut -d: -f1)
  export GOMODCACHE=$(go env GOMODCACHE)
  if ! jupyter kernelspec list 2>/dev/null | grep gophernotes >/dev/null; then
    echo "notebooks: no gophernotes kernel registered; README.md says which build to use" >&2
    exit 1
  fi
fi

if [ "$install" = 1 ]; then
  echo "notebooks: ready; open them with: jupyter notebook notebooks/"
  exit 0
fi

# --- run ------------------------------------------------------------------
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0 total_start=$(date +%s)
for nb in "${files[@]}"; do
  name=$(basename "$nb" .ipynb)
  start=$(date +%s)
  if [ "$kernel" = gophernotes ]; then
    # gomacro's plugin imports share $GOPATH/src/gomacro.imports: one GOPATH per run
    export GOPATH="$out/gopath-$name:$GOPATH0"
  fi
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
      --output-dir "$out" --output "$name" "$nb" >"$out/$name.log" 2>&1 &&
    /usr/bin/python3 check.py "$out/$name.ipynb"; then
    echo "notebooks: $nb ok ($(( $(date +%s) - start ))s)"
    if [ "$update" = 1 ]; then cp "$out/$name.ipynb" "$nb"; fi
  else
    status=1
    echo "notebooks: $nb FAILED ($(( $(date +%s) - start ))s)"
    grep -v '^[IW][0-9]\{4\} ' "$out/$name.log" | tail -40 || true
  fi
done
echo "notebooks: ${#files[@]} run in $(( $(date +%s) - total_start ))s"
exit $status
