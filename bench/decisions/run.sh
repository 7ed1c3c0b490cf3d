#!/usr/bin/env bash
# Load benchmark of the decision service with wrk on 127.0.0.1 (docs/BENCHMARKS.md, "Decision service").
# Usage: bench/decisions/run.sh [seconds per run, default 20] [connections, default 64]
# Builds a store from the bundled samples, fits the effect model, loads 20 live campaigns x 5 offers, then measures
# decisions (in-process state, then Redis), the /v1/ping ceiling in the same server, and event ingestion in batches
# of 100. Needs wrk and redis-server (apt-get install -y wrk redis-server). Prints one line per run and a JSON summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-64}
here=bench/decisions
work=$(mktemp -d /tmp/pp-bench-decisions.XXXXXX)
export PP_KEY="bench-admin-key-0123456789abcdef"
./promopilot quickstart --db "$work/store.duckdb" >/dev/null 2>&1
./promopilot decide fit-effect --db "$work/store.duckdb" --campaign hillstrom_email_2008 --outcome conversion --out "$work/effect.json" >/dev/null
python3 $here/campaigns.py > "$work/campaigns.json"
cli=${PP_CLI:-src/PromoPilot.Cli/bin/Release/net10.0/linux-x64/promopilot.dll} # PP_CLI: another build to compare
command -v redis-server >/dev/null && { redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null; }

serve() { # serve NAME [extra args]: starts a server on :5199 with the campaigns loaded
  local name=$1; shift
  rm -f "$work/$name.duckdb"; cp "$work/store.duckdb" "$work/$name.duckdb"; cp "$work/store.duckdb.key" "$work/$name.duckdb.key"
  # The settings docs/decision-service.md recommends for serve: server GC without dynamic heap adaptation (DATAS),
  # dynamic PGO on. PP_SERVER_ENV=" " runs the CLI's own defaults (workstation GC, src/PromoPilot.Cli/PromoPilot.Cli.csproj).
  # PP_SERVE_ARGS adds serve flags (e.g. --redis-prefix x).
  env DOTNET_TieredPGO=1 ${PP_SERVER_ENV-DOTNET_gcServer=1 DOTNET_GCDynamicAdaptationMode=0} dotnet $cli serve --urls http://127.0.0.1:5199 --db "$work/$name.duckdb" --admin-key "$PP_KEY" \
    --effect-model "$work/effect.json" --rate-limit 10000000 ${PP_SERVE_ARGS-} "$@" >"$work/$name.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5199/health >/dev/null && break; sleep 0.2; done
  python3 - "$work/campaigns.json" <<'PY'
import json, sys, urllib.request, os
for c in json.load(open(sys.argv[1])):
    req = urllib.request.Request("http://127.0.0.1:5199/v1/campaigns", data=json.dumps(c).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["PP_KEY"]})
    urllib.request.urlopen(req).read()
PY
  curl -sf -H "Authorization: Bearer $PP_KEY" -H "Content-Type: application/json" -d '{"user_id":"7","placement":"home","channel":"web"}' http://127.0.0.1:5199/v1/decisions >/dev/null
  # Warm-up long enough for tiered compilation to reach its optimized tier (a server runs for hours).
  wrk -t2 -c"$connections" -d10s -s $here/decide.lua http://127.0.0.1:5199 >/dev/null
}

measure() { # measure LABEL SCRIPT: one wrk run; prints "label req/s p50 p99"
  local out; out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$2" http://127.0.0.1:5199)
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}'); errors=${errors:-0}
  echo "$1 $rps $p50 $p99 non2xx=$errors"
}

results=()
serve inprocess
results+=("$(measure decisions_inprocess $here/decide.lua)")
results+=("$(measure ping_inprocess $here/ping.lua)")
results+=("$(measure events_batch100 $here/events.lua)")
kill -TERM $server; wait $server || true
serve redis --redis 127.0.0.1:6379 --redis-prefix "bench-$$"
results+=("$(measure decisions_redis $here/decide.lua)")
results+=("$(measure ping_redis $here/ping.lua)")
kill -TERM $server; wait $server || true
printf '%s\n' "${results[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
