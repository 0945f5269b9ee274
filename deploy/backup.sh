#!/usr/bin/env bash
# Backs up a BudgetEval installation: the whole database (schema budgeteval: cases, history, audit,
# uploads stored in PostgreSQL, Quartz state) as a pg_dump custom-format archive, plus an optional
# folder of files.
#   deploy/backup.sh "host=db port=5432 dbname=budgeteval user=budgeteval" /backups/budgeteval-$(date +%F).dump [FILES_DIR]
# The password comes from PGPASSWORD or ~/.pgpass, as for any libpq tool.
set -euo pipefail
# The dump holds password hashes, sign-in keys and everything else: readable by its owner only.
umask 077
if [ $# -lt 2 ]; then
  echo "usage: $0 <libpq conninfo> <output.dump> [files-dir]" >&2
  exit 2
fi
conninfo=$1 out=$2 files=${3:-}
PG_DUMP=${PG_DUMP:-$(command -v pg_dump || ls /usr/lib/postgresql/*/bin/pg_dump 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_DUMP" ] || { echo "pg_dump not found (apt-get install postgresql-client)" >&2; exit 1; }

tmp="$out.partial"
"$PG_DUMP" --format=custom --compress=6 --no-owner --no-privileges --dbname="$conninfo" --file="$tmp"
chmod 600 "$tmp"    # also when --file reused an existing file with a wider mode
mv "$tmp" "$out"   # a backup that exists is complete
if [ -n "$files" ]; then
  tar -C "$files" -czf "$out.files.tar.gz.partial" .
  chmod 600 "$out.files.tar.gz.partial"
  mv "$out.files.tar.gz.partial" "$out.files.tar.gz"
fi
echo "backup written: $out$( [ -n "$files" ] && echo " and $out.files.tar.gz")"
