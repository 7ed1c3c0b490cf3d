#!/usr/bin/env bash
# Customer understanding at scale: a synthetic store of CUSTOMERS customers and EVENTS events (BG/NBD-like purchasing,
# see bench/PromoPilot.Bench/SyntheticStore.cs), then `profile build`, `clv` and `segment` as separate CLI processes,
# each timed with /usr/bin/time (wall seconds, peak RSS). DuckDB's memory limit comes from
# PROMOPILOT_DUCKDB_MEMORY_LIMIT (default here 2GB). Usage: bench/customers/run.sh [CUSTOMERS] [EVENTS] [FOLDER]
set -euo pipefail
cd "$(dirname "$0")/../.."
customers=${1:-1000000}
events=${2:-50000000}
folder=${3:-$(mktemp -d)}
export PROMOPILOT_DUCKDB_MEMORY_LIMIT=${PROMOPILOT_DUCKDB_MEMORY_LIMIT:-2GB}
dotnet build bench/PromoPilot.Bench -c Release -nologo -v quiet >/dev/null
./promopilot --help >/dev/null
store="$folder/synthetic.duckdb"
/usr/bin/time -f "generate: %e s wall, %M KB peak" bench/PromoPilot.Bench/bin/Release/net10.0/linux-x64/PromoPilot.Bench synthetic-store "$store" "$customers" "$events"
total=0
for step in "profile build" "clv" "segment"; do
  /usr/bin/time -o "$folder/time.txt" -f "%e %M" ./promopilot $step --db "$store" --json >"$folder/${step// /_}.json"
  read -r seconds kb <"$folder/time.txt"
  echo "$step: $seconds s wall, $((kb / 1024)) MiB peak"
  total=$(awk "BEGIN { print $total + $seconds }")
done
echo "profile build + clv + segment: $total s wall"
