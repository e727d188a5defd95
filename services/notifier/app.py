"""The one place that wires the notifier: faust app, agents, scheduler timer, web views.

Run: python -m services.notifier   (faust worker; web on NOTIFIER_WEB_PORT, default 8003)
"""

import asyncio
import logging
import sys
from pathlib import Path

import faust
import uvloop
from faust.worker import Worker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.notifier.consumers.agent import consume
from services.notifier.runtime import NotifierRuntime
from services.notifier.settings import NotifierSettings
from shared.log import configure_logging
from shared.topics import DEFAULT_PARTITIONS

log = logging.getLogger(__name__)

# How often the leader looks at the clock; it produces a tick only when the minute changes.
SCHEDULER_CHECK_SECONDS = 1.0
# faust runs its Kafka consumer in a second thread. With CPython's default 5 ms GIL switch
# interval the sender's many small socket writes queue behind it: measured, a 1 ms interval
# sends 1.4x the digests per second in this process (docs/BENCHMARKS.md, notifier).
GIL_SWITCH_INTERVAL_SECONDS = 0.001
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST.replace("; charset=utf-8", "")


def create_app(settings: NotifierSettings, runtime: NotifierRuntime) -> faust.App:
    """The faust app: one agent per consumed topic, the leader-only timer, and the web views."""
    brokers = ";".join(f"kafka://{h.strip()}" for h in settings.kafka_bootstrap_servers.split(","))
    datadir = Path(settings.notifier_data_dir)
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.notifier_app_id,
        broker=brokers,
        key_serializer="raw",
        value_serializer="raw",
        store="memory://",
        # Our topics are pre-created (with their .dlq twins); faust must not declare them.
        topic_partitions=DEFAULT_PARTITIONS,
        topic_allow_declare=False,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=1.0,
        broker_session_timeout=settings.notifier_session_timeout_seconds,
        broker_max_poll_interval=settings.notifier_max_poll_interval_seconds,
        web_host=settings.notifier_web_host,
        web_bind=settings.notifier_web_host,
        web_port=settings.notifier_web_port,
        datadir=str(datadir / "{conf.id}"),
    )
    for name, topic in runtime.topics.items():
        _add_agent(app, runtime, name, topic, settings)
    if settings.notifier_scheduler_enabled:
        app.timer(interval=SCHEDULER_CHECK_SECONDS, on_leader=True,
                  name="notifier.scheduler")(runtime.scheduler.run_once)
    _add_views(app, runtime)
    return app


def _add_agent(app: faust.App, runtime: NotifierRuntime, name: str, topic: str,
               settings: NotifierSettings) -> None:
    """An agent that only batches and delegates; decoding, dead-lettering and the handlers
    live in the dispatcher (offsets are acked after the batch is handled).

    One actor per agent: a client's events are applied one batch after the other, which the
    recount of its task figures relies on (two batches side by side would each count
    without the other's expenses)."""

    async def agent(stream) -> None:
        await consume(stream, runtime.dispatchers[name], batch=settings.notifier_consumer_batch,
                      within=settings.notifier_consumer_batch_seconds,
                      highwater=app.consumer.highwater)

    app.agent(app.topic(topic, key_type=bytes, value_type=bytes), name=f"notifier.{name}")(agent)


def _add_views(app: faust.App, runtime: NotifierRuntime) -> None:
    @app.page("/healthz")
    async def healthz(web, request):
        """Liveness: the process answers."""
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web, request):
        """Readiness: PostgreSQL and Kafka answer, every agent runs, no dispatcher crashed."""
        checks = {**await runtime.readiness(), "agents": _agents_alive(app)}
        ready = all(checks.values())
        return web.json({"status": "ready" if ready else "not_ready",
                         "checks": {k: "ok" if v else "failing" for k, v in checks.items()}},
                        status=200 if ready else 503)

    @app.page("/metrics")
    async def metrics(web, request):
        """Prometheus metrics of this process."""
        # aiohttp wants the charset apart from the content type; the body is bytes anyway.
        return web.bytes(generate_latest(), content_type=METRICS_CONTENT_TYPE)


def _agents_alive(app: faust.App) -> bool:
    """Every agent started, not crashed, with all its actors' tasks running."""
    agents = list(app.agents.values())
    return bool(agents) and all(
        agent.started and not agent.crashed and agent._actors
        and all(not actor.crashed and actor.actor_task is not None
                and not actor.actor_task.done() for actor in agent._actors)
        for agent in agents)


def main() -> None:
    """Start the faust worker with the runtime it needs; returns when the worker stops."""
    settings = NotifierSettings()
    configure_logging("notifier", settings.log_level)
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)
    # uvloop for this loop and faust's consumer thread's: faust spends most of its time per
    # message in event-loop scheduling, measured ~15% more events and digests per second.
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    runtime = NotifierRuntime(settings, loop=loop)
    app = create_app(settings, runtime)
    worker = Worker(app, runtime, loop=loop, loglevel=settings.log_level, quiet=True,
                    override_logging=False, redirect_stdouts=False)
    worker.spinner = None  # a terminal spinner would put escape codes among the JSON log lines
    worker.execute_from_commandline()
