#!/usr/bin/env bash
# Starts the real servers the tests need and exports where they are (sourced by ./test):
#   PROMOPILOT_TEST_REDIS     redis-server on 127.0.0.1:6379 (daemonized, no persistence)
#   PROMOPILOT_TEST_POSTGRES  PostgreSQL (the machine's newest cluster) on 127.0.0.1:5432, database promopilot_test
# and installs Debian's chromium (/usr/bin/chromium) for the dashboard's browser tests (Playwright drives it; no
# `playwright install`).
# Installs redis-server (and postgresql when pg_ctlcluster is missing) with apt-get. A server that cannot be started
# is reported and fails the run (set PROMOPILOT_TEST_WITHOUT_SERVERS=1 to skip those tests instead). Tests use their own key prefixes and schemas, so a
# server that is already running (a developer's) is reused as it is.

log="${TMPDIR:-/tmp}/promopilot-test-servers.log"
apt_install() {
  [ "$(id -u)" -eq 0 ] || { echo "test servers: $* missing and not root: cannot install" >&2; return 1; }
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } >>"$log" 2>&1
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return 0; fi
  command -v redis-server >/dev/null || apt_install redis-server || return 1
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --pidfile /tmp/redis-6379.pid --logfile "${TMPDIR:-/tmp}/redis-6379.log" >>"$log" 2>&1 || return 1
  for _ in $(seq 1 40); do
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.25
  done
  return 1
}

start_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    command -v pg_ctlcluster >/dev/null || apt_install postgresql || return 1
    [ "$(id -u)" -eq 0 ] || { echo "test servers: PostgreSQL is not running and not root: cannot start it" >&2; return 1; }
    local v
    v=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$v" ] || v=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_lsclusters 2>/dev/null | grep -q "^$v *main" || pg_createcluster "$v" main >>"$log" 2>&1
    pg_ctlcluster "$v" main start >>"$log" 2>&1 || true
    for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
    pg_isready -h 127.0.0.1 -p 5432 -q || return 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres';\"" >>"$log" 2>&1
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'promopilot_test'\"" 2>>"$log" | grep -q 1 \
      || su postgres -c "createdb promopilot_test" >>"$log" 2>&1
  fi
  PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d promopilot_test -tAc "SELECT 1" >/dev/null 2>>"$log"
}

if start_redis; then
  export PROMOPILOT_TEST_REDIS=127.0.0.1:6379
else
  echo "test servers: redis-server could not be started (see $log)" >&2
  servers_failed=1
fi

if start_postgres; then
  export PROMOPILOT_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=promopilot_test"
else
  echo "test servers: PostgreSQL could not be started (see $log)" >&2
  servers_failed=1
fi

if ! [ -x /usr/bin/chromium ] && ! apt_install chromium; then
  echo "0 passed, 1 failed (chromium could not be installed for the dashboard's browser tests; see $log)"
  exit 1
fi

if [ "${servers_failed:-0}" = 1 ] && [ "${PROMOPILOT_TEST_WITHOUT_SERVERS:-0}" != 1 ]; then
  echo "0 passed, 1 failed (test servers could not be started; PROMOPILOT_TEST_WITHOUT_SERVERS=1 skips their tests)"
  exit 1
fi
