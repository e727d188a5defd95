#!/usr/bin/env bash
# Local PostgreSQL cluster for development and tests, without Docker and without the
# system service: data in .run/postgres/data, listening on 127.0.0.1:$PG_PORT.
# Usage: deploy/postgres.sh start|stop|status   (env: PG_PORT=5432, PG_FAST=1 for tests,
#        RUN_DIR=.run: state and logs of a second, separate cluster, e.g. the chaos suite's)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PG_PORT=${PG_PORT:-5432}
RUN_DIR=$(realpath -m "${RUN_DIR:-$ROOT/.run}")
PGDIR=$RUN_DIR/postgres
DATA=$PGDIR/data
SOCK=$PGDIR/socket
LOGS=$RUN_DIR/logs
LOG=$LOGS/postgres.log

die() {
  echo "postgres: ERROR: $*" >&2
  if [[ -f $LOG ]]; then echo "---- last lines of $LOG ----" >&2; tail -n 30 "$LOG" >&2; fi
  exit 1
}

ensure_installed() {
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && return
  echo "postgres: installing Debian's postgresql package"
  # Keep the package from starting the system cluster on 5432 (the Docker policy-rc.d trick).
  local policy=/usr/sbin/policy-rc.d added=
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  if [[ -n $added ]]; then rm -f "$policy"; fi
}

# The binaries of the cluster's own major version once it exists, else the newest installed.
bin() {
  local d
  if [[ -f $DATA/PG_VERSION ]]; then d=/usr/lib/postgresql/$(cat "$DATA/PG_VERSION")/bin
  else d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  echo "$d/$1"
}

# The server refuses to run as root: as root, run its tools as the postgres OS user.
AS_PG=(); ((EUID == 0)) && AS_PG=(runuser -u postgres --)
as_pg() { "${AS_PG[@]}" "$@"; }
PG_OWNER=$(id -un); ((EUID == 0)) && PG_OWNER=postgres

psql_su() { as_pg "$(bin psql)" -h "$SOCK" -p "$PG_PORT" -U postgres -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

running() { [[ -f $DATA/PG_VERSION ]] && as_pg "$(bin pg_ctl)" -D "$DATA" status >/dev/null 2>&1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

prepare_dirs() {
  mkdir -p "$PGDIR" "$SOCK" "$LOGS"
  touch "$LOG"
  chown "$PG_OWNER" "$PGDIR" "$SOCK" "$LOG"
  # Only the owner may use the socket directory, which makes local `trust` auth safe.
  chmod 700 "$SOCK"
  # The postgres user must be able to traverse every parent of the data directory
  # (e.g. a checkout under /root is 0700).
  if ((EUID == 0)); then
    local d=$PGDIR parents=()
    while [[ $d != / ]]; do d=$(dirname "$d"); parents=("$d" "${parents[@]}"); done
    for d in "${parents[@]}"; do as_pg test -x "$d" || chmod o+x "$d"; done
  fi
}

init_cluster() {
  [[ -f $DATA/PG_VERSION ]] && return
  echo "postgres: initdb $DATA"
  # Local socket: trust (socket dir is private); TCP: passwords (scram-sha-256).
  as_pg "$(bin initdb)" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >>"$LOG" 2>&1 || die "initdb failed"
}

ensure_database() {
  psql_su -d postgres <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal') THEN
    CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal';
  END IF;
END $$;
SQL
  if [[ -z $(psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'partner_portal'") ]]; then
    psql_su -d postgres -c "CREATE DATABASE partner_portal OWNER portal"
  fi
  # As superuser, so migrations never need to create extensions themselves.
  psql_su -d partner_portal -c "SET client_min_messages = warning" \
    -c "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public" \
    -c "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"
}

start() {
  if running; then echo "postgres: already running on 127.0.0.1:$PG_PORT"; return; fi
  if port_open "$PG_PORT"; then
    echo "postgres: ERROR: port $PG_PORT is in use by another server (set PG_PORT to use another)" >&2; exit 1
  fi
  ensure_installed
  prepare_dirs
  init_cluster

  local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$SOCK' -c max_connections=200"
  # Tests only: faster commits, still crash-safe for the database (unlike fsync=off).
  [[ ${PG_FAST:-0} == 1 ]] && opts+=" -c synchronous_commit=off"
  # setsid: own session, so a Ctrl-C in the calling terminal/make does not reach the postmaster.
  setsid -w "${AS_PG[@]}" "$(bin pg_ctl)" -D "$DATA" -l "$LOG" -o "$opts" -w -t 60 start >/dev/null \
    || die "pg_ctl start failed"

  local t=0
  until as_pg "$(bin pg_isready)" -q -h 127.0.0.1 -p "$PG_PORT"; do
    ((t++ < 60)) || die "not accepting connections after 30s"
    sleep 0.5
  done
  ensure_database
  echo "postgres: running on 127.0.0.1:$PG_PORT (postgresql://portal:portal@127.0.0.1:$PG_PORT/partner_portal)"
}

stop() {
  if ! running; then echo "postgres: not running"; return; fi
  as_pg "$(bin pg_ctl)" -D "$DATA" -m fast -w -t 60 stop >/dev/null
  echo "postgres: stopped"
}

status() {
  if running; then echo "postgres: running on 127.0.0.1:$PG_PORT"; else echo "postgres: stopped"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
