#!/usr/bin/env bash
# Response models on in_vehicle_coupon: ours (LightGBM, FastTree, FFM, logistic through ML.NET) and xgboost
# (300 trees, depth 6, hist) on the same stratified 80/20 split, seed 42, one thread each; 3 runs, medians.
# Usage: bench/response/run.sh [FILE]    (default ../shared/data/in_vehicle_coupon/...)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
file="${1:-$root/../shared/data/in_vehicle_coupon/in-vehicle-coupon-recommendation.csv.gz}"
[ -f "$file" ] || file=/work/shared/data/in_vehicle_coupon/in-vehicle-coupon-recommendation.csv.gz
"$root/promopilot" --help >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2 3; do
  for model in lightgbm fasttree ffm logistic; do
    nice "$root/promopilot" response eval --dataset in-vehicle-coupon --input "$file" --model "$model" --seed 42 --json | tr -d '\n '; echo
  done
  nice /usr/bin/python3 "$root/bench/response/reference_xgboost.py" "$file" --seed 42 --threads 1
done | /usr/bin/python3 -c '
import json, statistics, sys
runs = {}
for line in sys.stdin:
    r = json.loads(line); runs.setdefault(r["model"], []).append(r)
print("| model | AUC | log loss | Brier | accuracy | fit s (median of %d) |" % len(next(iter(runs.values()))))
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for m, rs in runs.items():
    print("| %s | %.4f | %.4f | %.4f | %.4f | %.2f |" % (m, rs[0]["auc"], rs[0]["logloss"], rs[0]["brier"], rs[0]["accuracy"], statistics.median(r["fit_seconds"] for r in rs)))
'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
