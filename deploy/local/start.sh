#!/usr/bin/env bash
# Starts BudgetEval on this machine with everything embedded: a private PostgreSQL cluster in
# .data/pg (kept between runs), e-mail written as .eml files to .data/mail, demo data and logins.
# Ctrl-C stops the app and the cluster. Usage: deploy/local/start.sh [--port 5080]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/lib.sh

APP_PORT=5080
PG_PORT=${BUDGETEVAL_PG_PORT:-55432}
while [ $# -gt 0 ]; do
  case "$1" in
    --port) APP_PORT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not found)." >&2; exit 1; }
PG_BIN=$(find_pg_bin)

DATA="$ROOT/.data"
PGDATA="$DATA/pg"
mkdir -p "$DATA/mail"
if [ "$(id -u)" -eq 0 ]; then chmod 755 "$DATA"; fi
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  echo "Creating the private PostgreSQL cluster in $PGDATA ..."
  pg_init "$PGDATA"
fi

stop_all() {
  trap - EXIT INT TERM
  echo "Stopping PostgreSQL ..."
  pg_stop "$PGDATA"
}

if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  pg_start "$PGDATA" "$PG_PORT" "$PGDATA/server.log"
fi
trap stop_all EXIT INT TERM

if [ "$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'budgeteval'")" != "1" ]; then
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres budgeteval
fi

echo "Building ..."
dotnet build src/BudgetEval.Web -c Release -nologo -v quiet

export ASPNETCORE_ENVIRONMENT=Demo
export ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Database=budgeteval;Username=postgres"
export Demo__Seed=true
export Email__Mode=Pickup
export Email__PickupDirectory="$DATA/mail"
export App__PublicBaseUrl="http://127.0.0.1:$APP_PORT"
# In the foreground, so Ctrl-C reaches the app (which shuts down gracefully); the EXIT trap then
# stops PostgreSQL, which runs in its own session and never sees the Ctrl-C.
cd src/BudgetEval.Web
dotnet bin/Release/net10.0/BudgetEval.Web.dll --urls "http://127.0.0.1:$APP_PORT" || true
