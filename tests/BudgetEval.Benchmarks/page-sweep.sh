#!/bin/bash
# Every page once, cold then warm, for a bureau user on a generated province: finds the pages that read or
# render the whole province. Prints "path #n status seconds bytes" per request.
# Usage: PROVINCE="Host=…;Database=…;Username=postgres" [MIGRATE=true] \
#          tests/BudgetEval.Benchmarks/page-sweep.sh BudgetEval.Web.dll CONTENT_ROOT PATH… (A:PATH signs in as admin)
set -uo pipefail
DLL=$1; WD=$2; shift 2
. "$(dirname "$0")/province-node.sh"
start_node "$DLL" "$WD" /tmp/page-sweep-node.log
signin "$JARS/finance" finance 'Demo@2026!'
signin "$JARS/admin" admin 'Demo@2026!'
for spec in "$@"; do
  jar=$JARS/finance; path=$spec
  case $spec in A:*) jar=$JARS/admin; path=${spec#A:};; esac
  for i in 1 2; do
    echo "$path #$i $(curl -s -o /dev/null -w "%{http_code} %{time_total} %{size_download}" -b "$jar" "$URL$path")"
  done
done
