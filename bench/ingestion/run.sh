#!/usr/bin/env bash
# Ingestion benchmark: our import vs DuckDB's own read_csv of the same file, each mode in its own process,
# alternating, N runs each; prints per-run JSON and a summary with medians and the median of paired ratios.
# usage: bench/ingestion/run.sh [RUNS=5] [ROWS_SYNTHETIC=10000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
synthetic_rows=${2:-10000000}
out=bench/out
mkdir -p "$out"
dotnet build bench/PromoPilot.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet bench/PromoPilot.Bench/bin/Release/net10.0/linux-x64/PromoPilot.Bench.dll"
retail=../shared/data/online_retail/online_retail.csv.gz
synthetic=$out/events_${synthetic_rows}.csv
[ -f "$synthetic" ] || python3 bench/ingestion/gen_events.py "$synthetic_rows" "$synthetic"
results=$out/ingestion_results.jsonl
: > "$results"
for i in $(seq 1 "$runs"); do
  for mode in "import online-retail $retail" "read-csv $retail" \
              "import mapped $synthetic bench/ingestion/events_mapping.json" "read-csv $synthetic"; do
    set -- $mode
    # Peak RSS of the whole process, from the kernel's accounting.
    /usr/bin/time -f '%M' -o "$out/rss.txt" $bench "$@" > "$out/run.json"
    python3 - "$out/run.json" "$out/rss.txt" "$i" "$*" >> "$results" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
run.update(peak_rss_mb=round(int(open(sys.argv[2]).read().split()[-1]) / 1024, 1), run=int(sys.argv[3]), command=sys.argv[4])
print(json.dumps(run))
PY
    tail -1 "$results"
  done
done
python3 bench/ingestion/summarize.py "$results"
