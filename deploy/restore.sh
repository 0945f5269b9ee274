#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an EMPTY database (create it first, owned by the login
# the app uses), and the files archive into FILES_DIR when given. Stop the app nodes first; start them
# after (migrations of a newer version apply on start-up as usual).
#   createdb -h db -U postgres -O budgeteval budgeteval_restored
#   RESTORE_ROLE=budgeteval deploy/restore.sh "host=db port=5432 dbname=budgeteval_restored user=postgres" /backups/budgeteval-2026-11-22.dump [FILES_DIR]
# RESTORE_ROLE: the restored tables belong to this role (the app's login). Without it they belong to the
# user that restores, and an app connecting as another login is refused ("permission denied for schema").
set -euo pipefail
# Anything this script or its tools write (temporary files included) is readable by its owner only.
umask 077
if [ $# -lt 2 ]; then
  echo "usage: $0 <libpq conninfo of an empty database> <backup.dump> [files-dir]" >&2
  exit 2
fi
conninfo=$1 dump=$2 files=${3:-}
PG_RESTORE=${PG_RESTORE:-$(command -v pg_restore || ls /usr/lib/postgresql/*/bin/pg_restore 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_RESTORE" ] || { echo "pg_restore not found (apt-get install postgresql-client)" >&2; exit 1; }
PSQL=${PSQL:-$(dirname "$PG_RESTORE")/psql}
[ -x "$PSQL" ] || PSQL=$(command -v psql) || { echo "psql not found (apt-get install postgresql-client)" >&2; exit 1; }

# Only into an empty database: restoring beside other tables would mix two installations.
existing=$("$PSQL" "$conninfo" -tAc "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'")
if [ "$existing" != "0" ]; then
  echo "refused: the target database is not empty ($existing tables, views or sequences); restore into a new, empty database" >&2
  exit 1
fi

# One transaction: a restore that fails half-way leaves the database as empty as it was.
"$PG_RESTORE" --no-owner --no-privileges --single-transaction --exit-on-error ${RESTORE_ROLE:+--role="$RESTORE_ROLE"} --dbname="$conninfo" "$dump"
if [ -n "$files" ] && [ -f "$dump.files.tar.gz" ]; then
  mkdir -p "$files"
  tar -C "$files" -xzf "$dump.files.tar.gz"
fi
echo "restored $dump"
