#!/usr/bin/env bash
# MovieLens-100K recommendation benchmark: `promopilot recs eval` for every algorithm over seeds, next to the
# numpy/scipy reference (reference_ease.py) on the identical split. Writes JSON lines and prints the summary table.
# Usage: bench/recs/run.sh [SEEDS="1 2 3 4 5"] [DATA=../shared/data/movielens_100k]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-1 2 3 4 5}"
data="${2:-$root/../shared/data/movielens_100k}"
[ -d "$data" ] || data="/work/shared/data/movielens_100k"
out="$root/bench/recs/results-$(date +%Y-%m-%d).jsonl"
: > "$out"
"$root/promopilot" --help > /dev/null   # build once, outside the timings
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for seed in $seeds; do
  for algo in pop itemknn userknn als bpr ease hybrid; do
    nice "$root/promopilot" recs eval --dataset movielens --input "$data" --algo "$algo" --split stratified --test-fraction 0.25 --seed "$seed" --k 10 --json \
      | python3 -c "import json,sys; d=json.load(sys.stdin); d['load']=open('/proc/loadavg').read().split()[0]; print(json.dumps(d))" >> "$out"
  done
done
if [ "${REFERENCE:-1}" = 1 ]; then
  # shellcheck disable=SC2086
  nice /usr/bin/python3 "$root/bench/recs/reference_ease.py" "$data" $seeds >> "$out"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$root/bench/recs/summarize.py" "$out"
