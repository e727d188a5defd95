"""Produce one `schedule.tick` by hand: the notifier acts as if it were that time.

Run: .venv/bin/python -m services.notifier.send_tick --next-monday
     .venv/bin/python -m services.notifier.send_tick --at 2026-11-30T10:00:00+01:00
"""

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from services.notifier.settings import NotifierSettings
from shared.digest_schedule import first_digest_at
from shared.events import encode
from shared.events.schemas import ScheduleTick
from shared.kafka.producer import EventProducer


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time with its offset, e.g. +01:00")
    return moment


async def send_tick(settings: NotifierSettings, scheduled_for: datetime) -> str:
    """Produce the tick; return its event id."""
    event = encode("schedule.tick", ScheduleTick(scheduled_for=scheduled_for),
                   source="/notifier/send_tick", subject="schedule")
    producer = EventProducer(settings.kafka_bootstrap_servers, client_id="send-tick")
    await producer.start()
    try:
        await producer.send(settings.notifier_ticks_topic, event)
    finally:
        await producer.stop()
    return event.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--next-monday", action="store_true",
                      help="the coming Monday at DIGEST_HOUR in DIGEST_TIMEZONE")
    when.add_argument("--at", type=_aware, help="an RFC 3339 time with offset")
    args = parser.parse_args(argv)
    settings = NotifierSettings()
    at = args.at or first_digest_at(datetime.now(UTC), tz=settings.digest_timezone,
                                    hour=settings.digest_hour)
    event_id = asyncio.run(send_tick(settings, at.astimezone(UTC)))
    print(f"schedule.tick for {at.isoformat()} sent (event {event_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
