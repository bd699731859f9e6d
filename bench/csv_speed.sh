#!/usr/bin/env bash
# bench/csv_speed.sh — reading a CSV file: aegraph's datasets.ReadTable against
# pandas' read_csv, on the same file, alternating the two, ROUNDS times each.
#
#   bench/csv_speed.sh                 # MNIST's 60,000 training images as a CSV (written first)
#   bench/csv_speed.sh FILE.csv        # any file
#
# Needs Debian's python3-pandas (apt-get install -y python3-pandas) and GNU
# time (apt-get install -y time) for the peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
FILE=${1:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if [ -z "$FILE" ]; then
  go run ./bench/export -format csv -out "$TMP/mnist" >/dev/null
  FILE=$TMP/mnist/train.csv
fi
go build -o "$TMP/csvspeed" ./bench/csvspeed
cat > "$TMP/read_with_pandas.py" <<'PY'
import sys, time
import pandas as pd
t = time.time()
df = pd.read_csv(sys.argv[1])
print("pandas %d rows × %d columns in %.3f s" % (df.shape[0], df.shape[1], time.time() - t))
PY
echo "file: $FILE ($(du -h "$FILE" | cut -f1))"
for r in $(seq "$ROUNDS"); do
  order="aegraph pandas"
  [ $((r % 2)) -eq 0 ] && order="pandas aegraph"   # alternate who goes first
  for side in $order; do
    if [ "$side" = aegraph ]; then
      /usr/bin/time -f "  peak %M KB" "$TMP/csvspeed" "$FILE" 2>&1
    else
      /usr/bin/time -f "  peak %M KB" /usr/bin/python3 "$TMP/read_with_pandas.py" "$FILE" 2>&1
    fi
  done
done
