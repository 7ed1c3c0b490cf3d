#!/usr/bin/env bash
# bench/decisions/profile.sh OUTDIR [decide|ping]: one server (port 5198) with the load benchmark's campaigns, a warm-up,
# and prints requests/s and the server's CPU µs per request (from /proc) over a 10 s wrk run (docs/BENCHMARKS.md).
# Env: PP_SERVE_ARGS (extra serve flags), CLI (the promopilot.dll to serve, .build/cli/promopilot.dll), WARM (warm-up seconds, 5), GCS (DOTNET_gcServer, 1), DATAS (DOTNET_GCDynamicAdaptationMode, 1),
# PERF=1 PERFMAP=1 WXE=0 also records 8 s with `perf` (JIT symbols through perf maps) into OUTDIR/self.txt, children.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1; what=${2:-decide}
mkdir -p $out
export PP_KEY="bench-admin-key-0123456789abcdef"
work=/tmp/pp-prof; mkdir -p $work
if [ ! -f $work/store.duckdb ]; then
  ./promopilot quickstart --db "$work/store.duckdb" >/dev/null 2>&1
  ./promopilot decide fit-effect --db "$work/store.duckdb" --campaign hillstrom_email_2008 --outcome conversion --out "$work/effect.json" >/dev/null
  python3 bench/decisions/campaigns.py > "$work/campaigns.json"
fi
./promopilot --help >/dev/null 2>&1 || true
rm -f $work/s.duckdb*; cp $work/store.duckdb $work/s.duckdb; cp $work/store.duckdb.key $work/s.duckdb.key
DOTNET_PerfMapEnabled=${PERFMAP:-0} DOTNET_EnableWriteXorExecute=${WXE:-1} DOTNET_gcServer=${GCS:-1} DOTNET_GCDynamicAdaptationMode=${DATAS:-1} DOTNET_TieredPGO=1 dotnet ${CLI:-.build/cli/promopilot.dll} serve --urls http://127.0.0.1:5198 --db $work/s.duckdb --admin-key "$PP_KEY" \
  --effect-model $work/effect.json --rate-limit 10000000 ${PP_SERVE_ARGS-} >$out/server.log 2>&1 &
server=$!; trap "kill $server 2>/dev/null" EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5198/health >/dev/null && break; sleep 0.2; done
python3 - "$work/campaigns.json" <<'PY'
import json, sys, urllib.request, os
for c in json.load(open(sys.argv[1])):
    req = urllib.request.Request("http://127.0.0.1:5198/v1/campaigns", data=json.dumps(c).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["PP_KEY"]})
    urllib.request.urlopen(req).read()
PY
sleep 3
curl -s -H "Authorization: Bearer $PP_KEY" -H "Content-Type: application/json" -d '{"user_id":"7","placement":"home","channel":"web","limit":2,"cart":[{"item_id":"85123A","quantity":2,"unit_price":2.55}]}' http://127.0.0.1:5198/v1/decisions > $out/sample.json
wrk -t2 -c64 -d${WARM:-5}s -s bench/decisions/$what.lua http://127.0.0.1:5198 >/dev/null
ticks() { awk '{print $14+$15}' /proc/$server/stat; }
t0=$(ticks)
res=$(wrk -t2 -c64 -d10s -s bench/decisions/$what.lua http://127.0.0.1:5198)
t1=$(ticks)
reqs=$(echo "$res" | awk '/requests in/ {print $1}')
rps=$(echo "$res" | awk '/Requests\/sec/ {print $2}')
echo "$what: $reqs requests, $rps req/s, server CPU µs/request: $(python3 -c "print(round(($t1-$t0)*1e4/$reqs,1))") load $(cut -d' ' -f1 /proc/loadavg)"
if [ "${PERF:-0}" = 1 ]; then
  wrk -t2 -c64 -d12s -s bench/decisions/$what.lua http://127.0.0.1:5198 >/dev/null &
  w=$!; sleep 1
  perf record -F 499 -g -p $server -o $out/perf.data -- sleep 8 >/dev/null 2>&1
  wait $w
  perf report -i $out/perf.data --no-children --sort symbol --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -70 > $out/self.txt
  perf report -i $out/perf.data --children --sort symbol --stdio -g none 2>/dev/null | grep -E "^ +[0-9]" | head -150 > $out/children.txt
fi
kill -TERM $server; wait $server || true
