#!/bin/bash
# Before/after pairs of the web measures on a generated province, with the CPU each request costs.
# Usage: PROVINCE="Host=…;Database=…;Username=postgres" [PGDATA=/path/to/cluster] \
#          tests/BudgetEval.Benchmarks/web-pages.sh BudgetEval.Web.dll CONTENT_ROOT LABEL [SECONDS]
# Starts one web node from the given build (a copy, so builds meanwhile do not replace it), signs in as
# finance and p1, and loads each page with wrk (64 connections, after a 3 s warm-up). "app" is the node's
# CPU (utime+stime) per request; "pg" the cluster's (postmaster and children; needs PGDATA).
set -euo pipefail
DLL=$1; WD=$2; LABEL=$3; D=${4:-15}
: "${PROVINCE:?set PROVINCE to the connection string of the province}"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
cd "$WD"
ASPNETCORE_ENVIRONMENT=Testing ASPNETCORE_URLS=$URL ConnectionStrings__Default="$PROVINCE" \
  Node__Jobs=false Node__Migrate=false Logging__LogLevel__Default=Warning dotnet "$DLL" > "/tmp/web-pages-$LABEL.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$URL/healthz/live" >/dev/null && break; sleep 0.5; done
signin() { # user password -> Cookie header
  local jar tok
  jar=$(mktemp)
  tok=$(curl -s -c "$jar" -b "$jar" "$URL/login" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -o /dev/null -c "$jar" -b "$jar" -X POST "$URL/login" --data-urlencode "UserName=$1" --data-urlencode "Password=$2" --data-urlencode "__RequestVerificationToken=$tok"
  sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF>=7 {printf "%s=%s; ", $6, $7}'
  rm -f "$jar"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu() { ticks $NODE; }
pgcpu() {
  [ -n "${PGDATA:-}" ] || { echo 0; return; }
  local pm t=0 p
  pm=$(head -1 "$PGDATA/postmaster.pid")
  for p in $pm $(pgrep -P "$pm"); do t=$((t + $(ticks "$p"))); done
  echo $t
}
run() { # name path cookie
  wrk -t2 -c64 -d3s -H "Cookie: $3" "$URL$2" >/dev/null
  local c0 p0 out c1 p1 n
  c0=$(cpu); p0=$(pgcpu)
  out=$(wrk -t2 -c64 -d"${D}s" --latency -H "Cookie: $3" "$URL$2")
  c1=$(cpu); p1=$(pgcpu)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  printf "%-8s %-24s %10s req/s  p99 %8s  app %.2f ms/req  pg %.2f ms/req  non-2xx/3xx %s\n" "$LABEL" "$1" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "($c1-$c0)*10/$n" | bc -l)" "$(echo "($p1-$p0)*10/$n" | bc -l)" "$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
}
run "trivial /healthz/live" /healthz/live ""
F=$(signin finance 'Demo@2026!'); P=$(signin p1 'Province-2026!')
run "inbox finance" /inbox "$F"
run "inbox p1" /inbox "$P"
run "dashboard finance" /dashboards "$F"
run "home finance" / "$F"
sleep 5; run "inbox p1, cookie > 1 min" /inbox "$P" # Identity re-checks cookies older than a minute
