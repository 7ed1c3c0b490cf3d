#!/usr/bin/env bash
# MovieLens-100K recommendation benchmark: `promopilot recs eval` for every algorithm over seeds, with the
# numpy/scipy reference (reference_ease.py: most-popular, item-kNN, EASE at lambda 300) run for the same seed right
# after ours, on the identical split. Writes JSON lines (each with the load average at its end) and prints the table.
# Usage: bench/recs/run.sh [SEEDS="1 2 3 4 5"] [DATA=../shared/data/movielens_100k]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-1 2 3 4 5}"
data="${2:-$root/../shared/data/movielens_100k}"
[ -d "$data" ] || data="/work/shared/data/movielens_100k"
out="${OUT:-$root/bench/recs/results-$(date +%Y-%m-%d).jsonl}"
: > "$out"
cli="${PROMOPILOT:-$root/promopilot}"   # PROMOPILOT: a published copy, so edits during the run do not rebuild it
"$cli" --help > /dev/null   # build once, outside the timings
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
tag() { python3 -c "import json,sys; d=json.loads(sys.stdin.read()); d['algo']=sys.argv[1] or d['algo']; d['load']=open('/proc/loadavg').read().split()[0]; print(json.dumps(d))" "$1"; }
for seed in $seeds; do
  # label|extra arguments (label empty: the algorithm's own name)
  for entry in "|--algo pop" "|--algo itemknn" "|--algo userknn" "|--algo als" "|--algo bpr" "|--algo ease" \
               "ease (lambda 300)|--algo ease --param lambda=300" "ease (tuned)|--algo ease --tune" "|--algo hybrid"; do
    label="${entry%%|*}"; args="${entry#*|}"
    # shellcheck disable=SC2086
    nice "$cli" recs eval --dataset movielens --input "$data" $args --split stratified --test-fraction 0.25 --seed "$seed" --k 10 --json \
      | tag "$label" >> "$out"
  done
  if [ "${REFERENCE:-1}" = 1 ]; then
    nice /usr/bin/python3 "$root/bench/recs/reference_ease.py" "$data" lambda=300 "$seed" | while read -r line; do echo "$line" | tag ""; done >> "$out"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$root/bench/recs/summarize.py" "$out"
