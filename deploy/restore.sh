#!/usr/bin/env bash
# Restore a dump made by backup.sh into a NEW, empty database (never over the live one):
#   deploy/restore.sh DUMP_FILE TARGET_DATABASE_URL
# The target database must not exist yet; it is created (the URL's user needs CREATEDB).
# Then point DATABASE_URL at it and restart the application, or rename the databases.
set -euo pipefail

dump="${1:?dump file}"
target="${2:?target database URL, e.g. postgres://postgres@127.0.0.1:5432/training_plan_restored}"
[ -r "$dump" ] || { echo "cannot read $dump" >&2; exit 1; }

# Split the URL into the server part and the database name.
name="${target##*/}"
name="${name%%\?*}"
server="${target%/*}/postgres"
[[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || { echo "bad database name: $name" >&2; exit 1; }

if [ "$(psql "$server" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" = "1" ]; then
  echo "database $name exists: restore into a new database" >&2
  exit 1
fi
psql "$server" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\" TEMPLATE template0 ENCODING 'UTF8'"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$dump"
echo "restored $dump into $name"
