"""faust's own ceiling: an agent that takes batches as the notifier's do and does nothing.

Run by bench_digests.py in its own process, over the same topic as the notifier and the
bare aiokafka consumer, with the notifier's faust settings, event loop, GIL switch interval
and batch size:
    python -m tests.bench.notifier.noop_agent TOPIC COUNT RESULT_FILE
Writes "<events per second>" to RESULT_FILE once COUNT events have gone through, timed from
the first batch to the last, then exits.
"""

import asyncio
import os
import sys
import tempfile
import time
import uuid

import faust
import uvloop
from faust.worker import Worker

from services.notifier.app import GIL_SWITCH_INTERVAL_SECONDS
from services.notifier.settings import NotifierSettings
from shared.topics import DEFAULT_PARTITIONS


def main() -> None:
    topic, total, result_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    settings = NotifierSettings()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    brokers = ";".join(f"kafka://{h.strip()}"
                       for h in settings.kafka_bootstrap_servers.split(","))
    # Its own group, so it reads the topic from the start; faust may declare its own leader
    # topic (the notifier's is pre-created), the expense topic exists already.
    app = faust.App(f"bench-noop-{uuid.uuid4().hex[:8]}", broker=brokers,
                    key_serializer="raw", value_serializer="raw", store="memory://",
                    topic_partitions=DEFAULT_PARTITIONS, topic_allow_declare=True,
                    consumer_auto_offset_reset="earliest", broker_commit_interval=1.0,
                    web_enabled=False, datadir=tempfile.mkdtemp(prefix="bench-noop-"))
    seen, started = 0, None

    @app.agent(app.topic(topic, key_type=bytes, value_type=bytes), name="bench.noop")
    async def noop(stream) -> None:
        nonlocal seen, started
        async for events in stream.take_events(settings.notifier_consumer_batch,
                                               within=settings.notifier_consumer_batch_seconds):
            if started is None:
                started = time.monotonic()
            seen += len(events)
            if seen >= total:
                with open(result_file, "w") as out:
                    out.write(f"{total / (time.monotonic() - started):.1f}\n")
                os._exit(0)  # the figure is written: no need for faust's orderly shutdown

    worker = Worker(app, loop=loop, loglevel="WARNING", quiet=True, override_logging=False,
                    redirect_stdouts=False)
    worker.spinner = None
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
