#!/usr/bin/env bash
# The demo on top of running services: seed the demo firm, run the platform simulator gently,
# print what to open and which tokens to use. Usage: deploy/demo.sh start|stop|status|tokens
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PIDFILE=.run/pids/simulator.pid
LOG=.run/logs/simulator.log
DEMO=.run/demo/demo.json

simulator_running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

admin_name() { $PY -c "import json; print(json.load(open('$DEMO')).get('admin_name', 'Eva Jansen'))"; }

staff_id() { $PY -c "import json,sys; d=json.load(open('$DEMO')); print($1)"; }

tokens() {
  local who
  for who in "ADMIN d['admin_id']" "DAAN d['bookkeepers']['Daan de Vries']" \
             "SOPHIE d['bookkeepers']['Sophie Miller']"; do
    echo "export ${who%% *}=$($PY -m services.clients.dev_token "$(staff_id "${who#* }")")"
  done
}

print_guide() {
  cat <<EOT

Open http://127.0.0.1:8000 and sign in as $(admin_name) (admin) at http://127.0.0.1:8000/dev/sign-in

Partner Portal is running.
  the portal (web app) http://127.0.0.1:8000
  clients API docs     http://127.0.0.1:8001/docs
  onboarding API docs  http://127.0.0.1:8002/docs
  notifier health      http://127.0.0.1:8003/readyz
  MailDev (emails)     http://127.0.0.1:1080

Tokens for Eva Jansen (admin, en), Daan de Vries (bookkeeper, nl) and Sophie Miller
(bookkeeper, en), valid 12 hours; load them into your shell with: eval "\$(deploy/demo.sh tokens)"
$(tokens)

Send the digests of next Monday 10:00 Copenhagen time now:
  $PY -m services.notifier.send_tick --next-monday

The README's "Try it" section walks through the rest. Stop everything with: make down
EOT
}

start() {
  $PY deploy/demo/seed_demo.py
  if ! simulator_running; then
    mkdir -p .run/pids .run/logs
    # A burst of history so the figures are live at once, then a gentle trickle.
    setsid nohup $PY -m services.platform_simulator --clients-file .run/demo/active_clients.txt \
      --burst 1500 --rate 2 --seed 2026 >>"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    echo "demo: platform simulator running (log $LOG)"
  fi
  print_guide
}

stop() {
  if simulator_running; then
    kill -TERM "$(cat "$PIDFILE")"
    echo "demo: platform simulator stopped"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  tokens) tokens ;;
  status) if simulator_running; then echo "demo: simulator running"; else echo "demo: simulator stopped"; fi ;;
  *) echo "usage: $0 start|stop|status|tokens" >&2; exit 2 ;;
esac
