#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an EMPTY database (create it first), and the files
# archive into FILES_DIR when given. Stop the app nodes first; start them after (migrations of a newer
# version apply on start-up as usual).
#   createdb -h db -U postgres budgeteval_restored
#   deploy/restore.sh "host=db port=5432 dbname=budgeteval_restored user=postgres" /backups/budgeteval-2026-11-22.dump [FILES_DIR]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <libpq conninfo of an empty database> <backup.dump> [files-dir]" >&2
  exit 2
fi
conninfo=$1 dump=$2 files=${3:-}
PG_RESTORE=${PG_RESTORE:-$(command -v pg_restore || ls /usr/lib/postgresql/*/bin/pg_restore 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_RESTORE" ] || { echo "pg_restore not found (apt-get install postgresql-client)" >&2; exit 1; }

# One transaction: a restore that fails half-way leaves the database as empty as it was.
"$PG_RESTORE" --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$conninfo" "$dump"
if [ -n "$files" ] && [ -f "$dump.files.tar.gz" ]; then
  mkdir -p "$files"
  tar -C "$files" -xzf "$dump.files.tar.gz"
fi
echo "restored $dump"
