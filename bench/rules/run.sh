#!/usr/bin/env bash
# Association-rule benchmark: plain Apriori vs FP-Growth on Groceries, both in the same process, alternating
# which runs first each round; PROCESSES separate processes of ROUNDS rounds each. Prints one JSON line per
# process (medians and ratios, bench/PromoPilot.Bench/RulesBench.cs) and a closing summary line.
# usage: [GROCERIES_LONG=path/groceries_long.csv.gz] bench/rules/run.sh [SUPPORT=0.001] [PROCESSES=3] [ROUNDS=11]
set -euo pipefail
cd "$(dirname "$0")/../.."
support=${1:-0.001}
processes=${2:-3}
rounds=${3:-11}
out=bench/out
mkdir -p "$out"
dotnet build bench/PromoPilot.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet bench/PromoPilot.Bench/bin/Release/net10.0/linux-x64/PromoPilot.Bench.dll"
groceries=${GROCERIES_LONG:-../shared/data/groceries/groceries_long.csv.gz}
results=$out/rules_results.jsonl
: > "$results"
for i in $(seq 1 "$processes"); do
  $bench rules "$groceries" "$support" "$rounds" | tee -a "$results"
done
python3 - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
print(json.dumps({
    "summary": "median over processes",
    "min_support": runs[0]["min_support"],
    "frequent_itemsets": runs[0]["frequent_itemsets"],
    "apriori_median_ms": statistics.median(r["apriori_median_ms"] for r in runs),
    "fp_growth_median_ms": statistics.median(r["fp_growth_median_ms"] for r in runs),
    "median_round_ratio": statistics.median(r["median_round_ratio"] for r in runs),
    "lowest_process_ratio": min(r["median_round_ratio"] for r in runs),
}))
PY
