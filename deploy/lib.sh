# Shared by deploy/local/start.sh and tests/run.sh: installing what is missing and running a private
# PostgreSQL cluster from the local binaries. Sourced, not executed.

# Runs apt-get as root or through sudo; says clearly what is missing otherwise.
apt_install() {
  local packages=("$@")
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing packages: ${packages[*]}. Install them (apt-get install ${packages[*]}) or run as root." >&2
      return 1
    fi
  fi
  if [ -z "${BUDGETEVAL_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    export BUDGETEVAL_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

# Finds the newest local PostgreSQL server binaries, installing them when absent.
find_pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries not found; installing postgresql ..." >&2
    apt_install postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -x "$bin/initdb" ] || { echo "PostgreSQL binaries still missing after install" >&2; return 1; }
  echo "$bin"
}

# PostgreSQL refuses to run as root: as root, cluster commands run as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# First free TCP port on 127.0.0.1 at or above $1.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || port_taken "$port"; do port=$((port + 1)); done
  echo "$port"
}

# port_taken PORT: some socket holds PORT as its local port. Nothing may listen there, yet a client
# connection can hold it (the chosen ports lie in Linux's ephemeral range), and binding then fails.
port_taken() {
  local hex tables=()
  hex=$(printf ':%04X' "$1")
  for t in /proc/net/tcp /proc/net/tcp6; do [ -r "$t" ] && tables+=("$t"); done
  [ ${#tables[@]} -gt 0 ] || return 1
  awk -v h="$hex" 'FNR > 1 && substr($2, length($2) - 4) == h { found = 1 } END { exit !found }' "${tables[@]}"
}

# pg_init DIR: a new cluster in DIR (trust auth on loopback only, UTF-8).
pg_init() {
  local dir=$1
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-locale >/dev/null
}

# pg_start DIR PORT LOG [extra -c settings]: starts the cluster in its own session, so a Ctrl-C meant
# for the app does not reach PostgreSQL; the caller stops it cleanly. No unix socket: TCP on loopback.
pg_start() {
  local dir=$1 port=$2 log=$3; shift 3
  as_pg touch "$log" 2>/dev/null || true
  as_pg setsid "$PG_BIN/pg_ctl" -D "$dir" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' $*" start >/dev/null
}

pg_stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$1" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}
