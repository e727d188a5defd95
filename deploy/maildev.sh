#!/usr/bin/env bash
# Local MailDev (SMTP sink + web UI + REST API) from the npm registry, for development.
# Usage: deploy/maildev.sh start|stop|status   (env: MAILDEV_SMTP_PORT=1025, MAILDEV_WEB_PORT=1080)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

VERSION=3.0.0
SMTP_PORT=${MAILDEV_SMTP_PORT:-1025}
WEB_PORT=${MAILDEV_WEB_PORT:-1080}
PREFIX=$ROOT/.run/maildev
BIN=$PREFIX/node_modules/.bin/maildev
LOGS=$ROOT/.run/logs
LOG=$LOGS/maildev.log
PIDFILE=$PREFIX/maildev.pid

die() {
  echo "maildev: ERROR: $*" >&2
  if [[ -f $LOG ]]; then echo "---- last lines of $LOG ----" >&2; tail -n 30 "$LOG" >&2; fi
  exit 1
}
pid() { [[ -f $PIDFILE ]] && cat "$PIDFILE"; }
running() {
  local p; p=$(pid) || return 1
  [[ -n $p ]] && kill -0 "$p" 2>/dev/null && grep -qa maildev "/proc/$p/cmdline" 2>/dev/null
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The UI answers `/` only for Accept: text/html; /api/healthz is the API's own probe.
web_ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$WEB_PORT/api/healthz"; }

ensure_installed() {
  [[ -x $BIN ]] && grep -q "\"version\": \"$VERSION\"" "$PREFIX/node_modules/maildev/package.json" && return
  echo "maildev: npm install maildev@$VERSION"
  mkdir -p "$PREFIX"
  # Some transitive deps declare node >=22 (EBADENGINE warning); it runs fine on Node 20.
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "maildev@$VERSION" \
    || die "npm install failed"
}

start() {
  if running; then echo "maildev: already running (pid $(pid))"; return; fi
  for port in "$SMTP_PORT" "$WEB_PORT"; do
    if port_open "$port"; then echo "maildev: ERROR: port $port is in use by another process" >&2; exit 1; fi
  done
  ensure_installed
  mkdir -p "$LOGS"
  setsid nohup "$BIN" --ip 127.0.0.1 --web-ip 127.0.0.1 -s "$SMTP_PORT" -w "$WEB_PORT" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local t=0
  until web_ready && port_open "$SMTP_PORT"; do
    running || { rm -f "$PIDFILE"; die "maildev exited during startup"; }
    ((t++ < 60)) || { stop >/dev/null; die "not ready after 30s"; }
    sleep 0.5
  done
  echo "maildev: running (pid $(pid)): smtp 127.0.0.1:$SMTP_PORT, web http://127.0.0.1:$WEB_PORT"
}

stop() {
  if ! running; then rm -f "$PIDFILE"; echo "maildev: not running"; return; fi
  local p; p=$(pid)
  kill -TERM "$p"
  for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p"
  rm -f "$PIDFILE"
  echo "maildev: stopped"
}

status() {
  if running; then echo "maildev: running (pid $(pid)), web http://127.0.0.1:$WEB_PORT"; else echo "maildev: stopped"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
