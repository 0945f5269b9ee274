#!/bin/bash
# Every page once, cold then warm, for a bureau user on a generated province: finds the pages that read or
# render the whole province. Prints "path #n status seconds bytes" per request.
# Usage: PROVINCE="Host=…;Database=…;Username=postgres" [MIGRATE=true] \
#          tests/BudgetEval.Benchmarks/page-sweep.sh BudgetEval.Web.dll CONTENT_ROOT PATH… (A:PATH signs in as admin)
set -uo pipefail
DLL=$1; WD=$2; shift 2
: "${PROVINCE:?set PROVINCE to the connection string of the province}"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
cd "$WD"
ASPNETCORE_ENVIRONMENT=Testing ASPNETCORE_URLS=$URL ConnectionStrings__Default="$PROVINCE" \
  Node__Jobs=false Node__Migrate=${MIGRATE:-false} Logging__LogLevel__Default=Warning dotnet "$DLL" > /tmp/page-sweep-node.log 2>&1 &
NODE=$!
JARS=$(mktemp -d)
trap 'kill $NODE 2>/dev/null || true; rm -rf "$JARS"' EXIT
for _ in $(seq 1 600); do curl -sf "$URL/healthz/live" >/dev/null && break; sleep 0.5; done
signin() { # jar user password
  local tok
  tok=$(curl -s -c "$1" -b "$1" "$URL/login" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -o /dev/null -c "$1" -b "$1" -X POST "$URL/login" --data-urlencode "UserName=$2" --data-urlencode "Password=$3" --data-urlencode "__RequestVerificationToken=$tok"
}
signin "$JARS/finance" finance 'Demo@2026!'
signin "$JARS/admin" admin 'Demo@2026!'
for spec in "$@"; do
  jar=$JARS/finance; path=$spec
  case $spec in A:*) jar=$JARS/admin; path=${spec#A:};; esac
  for i in 1 2; do
    echo "$path #$i $(curl -s -o /dev/null -w "%{http_code} %{time_total} %{size_download}" -b "$jar" "$URL$path")"
  done
done
