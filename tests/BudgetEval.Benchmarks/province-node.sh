# Sourced by the province scripts (page-sweep.sh, timed-requests.sh): one web node of a given build on a free
# port against $PROVINCE, and sign-in through the login form with a cookie jar.

# start_node DLL CONTENT_ROOT LOG: sets NODE (pid), URL and JARS (a folder for cookie jars), returns once the
# node answers; on exit the node is stopped and the jars removed.
start_node() {
  : "${PROVINCE:?set PROVINCE to the connection string of the province}"
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  URL=http://127.0.0.1:$port
  (cd "$2" && ASPNETCORE_ENVIRONMENT=Testing ASPNETCORE_URLS=$URL ConnectionStrings__Default="$PROVINCE" \
    Node__Jobs=false Node__Migrate=${MIGRATE:-false} Logging__LogLevel__Default=Warning exec dotnet "$1") > "$3" 2>&1 &
  NODE=$!
  JARS=$(mktemp -d)
  trap 'kill $NODE 2>/dev/null || true; rm -rf "$JARS"' EXIT
  for _ in $(seq 1 600); do curl -sf "$URL/healthz/live" >/dev/null && return; sleep 0.5; done
}

# form_token JAR PATH: the antiforgery token of the page at PATH.
form_token() {
  curl -s -c "$1" -b "$1" "$URL$2" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'
}

# signin JAR USER PASSWORD
signin() {
  curl -s -o /dev/null -c "$1" -b "$1" -X POST "$URL/login" --data-urlencode "UserName=$2" --data-urlencode "Password=$3" \
    --data-urlencode "__RequestVerificationToken=$(form_token "$1" /login)"
}
