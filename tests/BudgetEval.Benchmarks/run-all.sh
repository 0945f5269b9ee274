#!/usr/bin/env bash
# Every measure of issue 9 in one command: a throwaway PostgreSQL (fsync on) and maildev, then
# `BudgetEval.Benchmarks all`, which prints the table and writes docs/performance.json.
#   bash tests/BudgetEval.Benchmarks/run-all.sh [units, default 30000]
# Needs about 15 GB of disk for the province and 20-40 minutes on a 2-core machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/lib.sh
UNITS=${1:-30000}
PG_BIN=$(find_pg_bin)
command -v wrk >/dev/null || apt_install wrk
command -v pgbench >/dev/null || export PATH="$PG_BIN:$PATH"
MAILDEV="$ROOT/tests/tools/node_modules/.bin/maildev"
[ -x "$MAILDEV" ] || npm install --prefix tests/tools --no-audit --no-fund --silent maildev@2.2.1 >/dev/null

WORK=$(mktemp -d /tmp/budgeteval-bench.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  [ -n "${MAILDEV_PID:-}" ] && kill "$MAILDEV_PID" 2>/dev/null
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_PORT=$(free_port 57000)
pg_init "$WORK/pg"
# Room for the province's bulk load; durability settings stay at their defaults (fsync on).
pg_start "$WORK/pg" "$PG_PORT" "$WORK/pg/server.log" "-c max_connections=300 -c shared_buffers=1GB -c max_wal_size=8GB -c work_mem=16MB"
SMTP_PORT=$(free_port 57100)
"$MAILDEV" --ip 127.0.0.1 --web-ip 127.0.0.1 -s "$SMTP_PORT" -w "$(free_port $((SMTP_PORT + 1)))" --silent >"$WORK/maildev.log" 2>&1 &
MAILDEV_PID=$!

dotnet build -c Release tests/BudgetEval.Benchmarks >/dev/null
dotnet tests/BudgetEval.Benchmarks/bin/Release/net10.0/BudgetEval.Benchmarks.dll all \
  "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Maximum Pool Size=200" "$UNITS" "127.0.0.1:$SMTP_PORT"
