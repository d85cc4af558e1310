#!/usr/bin/env bash
# Coordo backups (run by /etc/cron.d/coordo as the coordo user; docs/operations.md).
#   backup.sh          nightly: a consistent online copy of the database (SQLite backup API)
#                      and of the uploads with a manifest of row counts and file hashes, kept
#                      BACKUP_KEEP_DAYS days, then copied off the server if BACKUP_REMOTE is set;
#   backup.sh uploads  every few minutes: the uploads folder copied to BACKUP_REMOTE (Litestream
#                      replicates the database, not the documents beside it).
# BACKUP_REMOTE is an rsync destination, e.g. backup@backup.example.org:coordo (set it in
# /etc/coordo/coordo.env with BACKUP_ROOT and BACKUP_KEEP_DAYS if the defaults do not suit).
set -euo pipefail
set -a
# shellcheck source=/dev/null
. /etc/coordo/coordo.env
set +a
APP_DIR=${APP_DIR:-/opt/coordo/current}
BACKUP_ROOT=${BACKUP_ROOT:-/var/backups/coordo}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}

if [ "${1:-}" = "uploads" ]; then
  [ -n "${BACKUP_REMOTE:-}" ] || exit 0
  exec rsync -a "$DATA_DIR/uploads/" "$BACKUP_REMOTE/uploads-live/"
fi

dest="$BACKUP_ROOT/$(date -u +%Y-%m-%dT%H%M%SZ)"
cd "$APP_DIR"
/usr/bin/node --import tsx scripts/backup.ts backup "$dest"
find "$BACKUP_ROOT" -mindepth 1 -maxdepth 1 -type d -mtime +"$BACKUP_KEEP_DAYS" -exec rm -rf {} +
if [ -n "${BACKUP_REMOTE:-}" ]; then
  rsync -a --delete "$BACKUP_ROOT/" "$BACKUP_REMOTE/nightly/"
fi
