#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the digest's exactly-once tests.
#
# Installs Debian's postgresql package if it is missing, starts a server from a fresh data folder
# under /tmp (initdb + pg_ctl, as the `postgres` user when run as root), creates a database and
# writes `TEST_POSTGRES_URL=postgresql://...` to .ci/postgres.env, which .ci/run exports.
# Running it again reuses a server that is still up. Stop it with (as the postgres user when root):
#   pg_ctl -D "$(sed -n 's/^# data: //p' .ci/postgres.env)" stop
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_FILE=.ci/postgres.env
PORT="${TEST_POSTGRES_PORT:-55432}"
DB="${TEST_POSTGRES_DB:-policy_bot_test}"
URL="postgresql://postgres@127.0.0.1:${PORT}/${DB}"
DATA_NOTE=""
[ -f "$ENV_FILE" ] && DATA_NOTE="$(grep '^# data: ' "$ENV_FILE" || true)"
rm -f "$ENV_FILE"

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
}

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  BIN="$(find_bin)"
  [ -n "$BIN" ] || { log "postgresql installed but initdb/pg_ctl not found"; exit 1; }
fi

# initdb and the server refuse to run as root: use the package's postgres user then.
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_db_user() { runuser -u postgres -- "$@"; }
else
  as_db_user() { "$@"; }
fi

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "reusing the server already listening on 127.0.0.1:$PORT"
else
  DATA="$(mktemp -d /tmp/policy-bot-postgres.XXXXXX)"
  [ "$(id -u)" = "0" ] && chown postgres "$DATA"
  as_db_user "$BIN/initdb" -D "$DATA/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  # Local, throwaway, fast: TCP on 127.0.0.1 only, the socket in the temp folder, no fsync.
  as_db_user "$BIN/pg_ctl" -D "$DATA/data" -l "$DATA/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  DATA_NOTE="# data: $DATA/data"
  log "started PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, data in $DATA"
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
fi
"${PSQL[@]}" -d "$DB" -c "SELECT 1" >/dev/null

{
  [ -n "$DATA_NOTE" ] && echo "$DATA_NOTE"
  echo "TEST_POSTGRES_URL=$URL"
} >"$ENV_FILE"
log "wrote $ENV_FILE: TEST_POSTGRES_URL=$URL"
