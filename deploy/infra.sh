#!/usr/bin/env bash
# PostgreSQL + Kafka (+ MailDev with WITH_MAILDEV=1 or --mail) for local runs and tests.
# Usage: deploy/infra.sh start|stop|status [--mail]
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
[[ ${2:-} == --mail ]] && WITH_MAILDEV=1

case "$cmd" in
  start)
    deploy/postgres.sh start
    deploy/kafka.sh start
    if [[ ${WITH_MAILDEV:-0} == 1 ]]; then deploy/maildev.sh start; fi
    ;;
  stop)
    # Each stop is a no-op for a component that is not running.
    deploy/maildev.sh stop
    deploy/kafka.sh stop
    deploy/postgres.sh stop
    ;;
  status)
    rc=0
    deploy/postgres.sh status || rc=$?
    deploy/kafka.sh status || rc=$?
    deploy/maildev.sh status || true   # optional component
    exit "$rc"
    ;;
  *) echo "usage: $0 start|stop|status [--mail]" >&2; exit 2 ;;
esac
