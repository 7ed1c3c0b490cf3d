#!/usr/bin/env bash
# Purchase-data recommendation benchmark (issue 7): online_retail and completejourney imported into their own stores
# (once, under $WORK), then `promopilot recs eval --db STORE --holdout-days 30 --k 10 --json` for every algorithm:
# global temporal split, the last 30 days held out, new items only (an item the user had before the cut is not a
# test item), users without history before the cut skipped. Each line gets the load average at its end.
# Usage: bench/recs/purchase.sh [DATA=../shared/data]   (PROMOPILOT=a published CLI, WORK=/tmp/recs-purchase)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-$root/../shared/data}"
[ -d "$data" ] || data="/work/shared/data"
work="${WORK:-/tmp/recs-purchase}"
cli="${PROMOPILOT:-$root/promopilot}"
out="${OUT:-$root/bench/recs/purchase-$(date +%Y-%m-%d).jsonl}"
mkdir -p "$work"
: > "$out"
"$cli" --help > /dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ds in online_retail completejourney; do
  kind=$([ "$ds" = online_retail ] && echo online-retail || echo completejourney)
  input="$data/$ds"; [ "$ds" = online_retail ] && input="$data/$ds/online_retail.csv.gz"
  db="$work/$ds.duckdb"
  [ -f "$db" ] || nice "$cli" import --kind "$kind" --input "$input" --db "$db" > /dev/null
  for algo in pop itemknn userknn als bpr ease hybrid content; do
    nice "$cli" recs eval --db "$db" --algo "$algo" --holdout-days 30 --k 10 --json 2>/dev/null \
      | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); d.setdefault('algo', sys.argv[1]); d['dataset']=sys.argv[2]; d['load']=open('/proc/loadavg').read().split()[0]; print(json.dumps(d))" "$algo" "$ds" >> "$out"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$root/bench/recs/summarize_purchase.py" "$out"
