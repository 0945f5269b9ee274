#!/bin/bash
# Times requests against a generated province and prints the node's memory after each: for the heavy
# one-off actions (approving a year's results, exports, the PDF annex) that the load measures do not cover.
# Usage: PROVINCE="Host=…;Database=…;Username=postgres" \
#          tests/BudgetEval.Benchmarks/timed-requests.sh BudgetEval.Web.dll CONTENT_ROOT REQUEST…
# A REQUEST is a path (GET as 绩效管理员), L:path (GET as 财政局领导), or POST:path / LPOST:path (a form post
# with the antiforgery token of that path's page, e.g. "LPOST:/results?handler=Approve&Year=2024"; form fields
# follow a "|", e.g. "LPOST:/results?handler=Reopen&Year=2024|reason=重新汇总").
# Prints "request status seconds bytes RSS peak".
set -uo pipefail
DLL=$1; WD=$2; shift 2
. "$(dirname "$0")/province-node.sh"
start_node "$DLL" "$WD" /tmp/timed-requests-node.log
memory() { awk '/VmRSS/{r=$2} /VmHWM/{h=$2} END{printf "RSS %d MB peak %d MB", r/1024, h/1024}' "/proc/$NODE/status"; }
signin "$JARS/finance" finance 'Demo@2026!'
signin "$JARS/lead" financelead 'Demo@2026!'
echo "start $(memory)"
for spec in "$@"; do
  jar=$JARS/finance; method=GET; path=$spec
  case $spec in
    L:*) jar=$JARS/lead; path=${spec#L:};;
    POST:*) method=POST; path=${spec#POST:};;
    LPOST:*) jar=$JARS/lead; method=POST; path=${spec#LPOST:};;
  esac
  fields=()
  case $path in *"|"*) fields=(--data-urlencode "${path#*|}"); path=${path%%|*};; esac
  if [ "$method" = POST ]; then
    form=${path%%\?handler=*}?${path#*\?handler=*&}
    tok=$(form_token "$jar" "$form")
    timing=$(curl -s -o /dev/null -w "%{http_code} %{time_total} %{size_download}" -b "$jar" -c "$jar" -X POST "$URL$path" --data-urlencode "__RequestVerificationToken=$tok" "${fields[@]}")
  else
    timing=$(curl -s -o /dev/null -w "%{http_code} %{time_total} %{size_download}" -b "$jar" "$URL$path")
  fi
  echo "$spec $timing $(memory)"
done
