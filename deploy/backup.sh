#!/usr/bin/env bash
# Back up the PostgreSQL database of the application in pg_dump's custom format (compressed,
# restorable table by table with pg_restore).
#   deploy/backup.sh [DATABASE_URL] [OUTPUT_DIR]
# Defaults: $DATABASE_URL, and /var/backups/training-plan. Prints the path of the dump.
# Keeps the last $KEEP dumps (default 30). Run nightly from cron or a systemd timer, e.g.
#   15 2 * * * training-plan /srv/training-plan/app/deploy/backup.sh >/dev/null
set -euo pipefail

url="${1:-${DATABASE_URL:?set DATABASE_URL or pass the database URL}}"
out_dir="${2:-/var/backups/training-plan}"
keep="${KEEP:-30}"

mkdir -p "$out_dir"
chmod 700 "$out_dir"
stamp="$(date +%Y%m%d-%H%M%S)"
file="$out_dir/training-plan-$stamp.dump"

# --no-owner/--no-privileges: the dump restores into a database owned by any role.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial" "$url"
mv "$file.partial" "$file"
chmod 600 "$file"

# Drop the oldest dumps beyond $keep.
ls -1t "$out_dir"/training-plan-*.dump 2>/dev/null | tail -n +"$((keep + 1))" | xargs -r rm --
echo "$file"
