#!/usr/bin/env bash
# The four Partner Portal services in the background, from the repo's .venv.
# Logs in .run/logs/<name>.log, pids in .run/pids/<name>.pid.
# Usage: deploy/services.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

LOGS=$ROOT/.run/logs
PIDS=$ROOT/.run/pids
VENV=$ROOT/.venv/bin
READY_TIMEOUT=${SERVICES_READY_TIMEOUT:-60}
NAMES=(onboarding clients notifier portal)

port() { case $1 in portal) echo 8000 ;; clients) echo 8001 ;; onboarding) echo 8002 ;; notifier) echo 8003 ;; esac; }
command_of() {
  case $1 in
    clients | onboarding | portal) echo "$VENV/uvicorn services.$1.app:app --host 127.0.0.1 --port $(port "$1")" ;;
    notifier) echo "$VENV/python -m services.notifier" ;;  # faust worker, web on 8003
  esac
}

pid() { [[ -f $PIDS/$1.pid ]] && cat "$PIDS/$1.pid"; }
running() {
  local p; p=$(pid "$1") || return 1
  [[ -n $p ]] && kill -0 "$p" 2>/dev/null && grep -qa "services.$1" "/proc/$p/cmdline" 2>/dev/null
}
ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(port "$1")/readyz"; }
fail() {
  echo "services: ERROR: $1 $2" >&2
  echo "---- last lines of $LOGS/$1.log ----" >&2
  tail -n 40 "$LOGS/$1.log" >&2 || true
  exit 1
}

start() {
  [[ -x $VENV/python ]] || { echo "services: no .venv; run 'make venv' first" >&2; exit 1; }
  mkdir -p "$LOGS" "$PIDS"
  local name
  # Launch all first, then wait: they start in parallel.
  for name in "${NAMES[@]}"; do
    if running "$name"; then continue; fi
    # shellcheck disable=SC2046  # the command line is split on purpose
    setsid nohup $(command_of "$name") >>"$LOGS/$name.log" 2>&1 </dev/null &
    echo $! >"$PIDS/$name.pid"
  done
  for name in "${NAMES[@]}"; do
    local t=0
    until ready "$name"; do
      running "$name" || fail "$name" "exited during startup"
      ((t++ < READY_TIMEOUT * 2)) || fail "$name" "did not answer /readyz with 200 within ${READY_TIMEOUT}s"
      sleep 0.5
    done
    echo "services: $name ready on http://127.0.0.1:$(port "$name") (pid $(pid "$name"))"
  done
}

stop() {
  local name p
  for name in "${NAMES[@]}"; do
    if ! running "$name"; then rm -f "$PIDS/$name.pid"; echo "services: $name not running"; continue; fi
    p=$(pid "$name")
    kill -TERM "$p"
    for _ in $(seq 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$p" 2>/dev/null; then kill -KILL "$p"; fi
    rm -f "$PIDS/$name.pid"
    echo "services: $name stopped"
  done
}

status() {
  local name rc=0
  for name in "${NAMES[@]}"; do
    if running "$name"; then
      if ready "$name"; then echo "services: $name running and ready (pid $(pid "$name"))"
      else echo "services: $name running, NOT ready (pid $(pid "$name"))"; rc=1; fi
    else echo "services: $name stopped"; rc=3; fi
  done
  return "$rc"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
