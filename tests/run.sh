#!/usr/bin/env bash
# Runs every test against real parts: a throwaway PostgreSQL cluster on a free port, a real SMTP
# server (maildev) and Debian's headless Chromium. Installs what is missing, cleans up after itself,
# and ends with the line "N passed, N failed". Exit status is non-zero on any failure.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Auth").
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source deploy/lib.sh

log() { printf '[run.sh] %s\n' "$*"; }

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not found)." >&2; exit 1; }
set -e
PG_BIN=$(find_pg_bin)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} ..."
  apt_install "${missing[@]}"
fi
MAILDEV="$ROOT/tests/tools/node_modules/.bin/maildev"
if [ ! -x "$MAILDEV" ]; then
  log "installing maildev under tests/tools ..."
  npm install --prefix tests/tools --no-audit --no-fund --silent maildev@2.2.1 >/dev/null
fi
set +e

WORK=$(mktemp -d /tmp/budgeteval-tests.XXXXXX)
chmod 755 "$WORK"
RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS/screenshots"

cleanup() {
  [ -n "${MAILDEV_PID:-}" ] && kill "$MAILDEV_PID" 2>/dev/null
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_PORT=$(free_port 56000)
log "PostgreSQL on 127.0.0.1:$PG_PORT ($PG_BIN)"
pg_init "$WORK/pg" || exit 1
pg_start "$WORK/pg" "$PG_PORT" "$WORK/pg/server.log" "-c max_connections=400 -c fsync=on" || { cat "$WORK/pg/server.log"; exit 1; }

SMTP_PORT=$(free_port 56100)
MAILDEV_WEB=$(free_port $((SMTP_PORT + 1)))
"$MAILDEV" --ip 127.0.0.1 --web-ip 127.0.0.1 -s "$SMTP_PORT" -w "$MAILDEV_WEB" --silent >"$WORK/maildev.log" 2>&1 &
MAILDEV_PID=$!
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$MAILDEV_WEB/email" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$MAILDEV_WEB/email" >/dev/null || { log "maildev did not start"; cat "$WORK/maildev.log"; exit 1; }
log "maildev SMTP on 127.0.0.1:$SMTP_PORT, web on $MAILDEV_WEB"

export BUDGETEVAL_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
export BUDGETEVAL_TEST_SMTP="127.0.0.1:$SMTP_PORT"
export BUDGETEVAL_TEST_MAILDEV="http://127.0.0.1:$MAILDEV_WEB"
export BUDGETEVAL_CHROMIUM=/usr/bin/chromium
export BUDGETEVAL_SCREENSHOTS="$RESULTS/screenshots"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "building ..."
dotnet build BudgetEval.slnx -c Release -nologo -v quiet
build=$?
if [ $build -ne 0 ]; then
  log "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test BudgetEval.slnx -c Release --no-build -nologo \
  --logger "trx;LogFilePrefix=results" --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" "$@"
status=$?

# The closing line comes from the TRX files, not from dotnet test's own summary.
passed=0; failed=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  e=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'error="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  log "no test results were found"
  failed=1
fi
if [ $status -ne 0 ] && [ "$failed" -eq 0 ]; then
  log "dotnet test exited with $status"
  failed=1
fi
# The reliability and corpus tests' own table (TestResults/reliability.md, copied into docs/reliability.md).
if command -v python3 >/dev/null; then
  report=$(python3 tests/reliability-report.py "$RESULTS" docs/reliability.md) && log "reliability report: $report"
else
  log "python3 not found: TestResults/reliability.md not written"
fi
# The failed tests again, last: a CI log is often seen only by its tail, and the failures scroll far above it.
if [ "$failed" -ne 0 ] && command -v python3 >/dev/null; then
  python3 tests/failed-tests.py "$RESULTS"/*.trx || true
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
