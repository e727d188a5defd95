"""Last writer wins: of several events about one thing, keep the newest."""

from collections.abc import Callable, Hashable, Iterable

from shared.events import Event


def latest_per_key(events: Iterable[Event], key: Callable[[Event], Hashable]) -> list[Event]:
    """Per key, the event with the latest envelope `time` (a later one in the batch on a tie)."""
    latest: dict[Hashable, Event] = {}
    for event in events:
        seen = latest.get(key(event))
        if seen is None or event.envelope.time >= seen.envelope.time:
            latest[key(event)] = event
    return list(latest.values())
