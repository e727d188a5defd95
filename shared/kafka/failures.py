"""Whose fault a consumer's failure is: the world's (retry), the message's (dead-letter), or
ours (a bug: isolate the event, dead-letter it, log it loudly).

TRANSIENT   the database is restarting, shutting down, refusing connections, out of slots or
            resources, lost the connection, or chose us as a deadlock/serialization victim;
            a connection whose protocol state broke under us; a network error or timeout;
            Kafka failing while we dead-letter. Retried with
            backoff for as long as it takes: never dead-lettered, so nothing is lost.
MESSAGE     a handler raised UnapplicableEvent, or the database refuses the data itself (SQLSTATE class 22 data exception, 23
            integrity violation, 54000 e.g. an index row too large; asyncpg's own refusal to
            encode a value, an int beyond bigint, is a DataError of class 22 too): the
            message goes to the dead-letter topic.
BUG         anything else. The batch is retried event by event and the failing events are
            dead-lettered (with the error), logged with a traceback: the loop carries on, and
            a fixed consumer can replay the dead-letter topic.
"""

import asyncio
import enum

import asyncpg
from aiokafka.errors import KafkaError

from shared.events import UnapplicableEvent


class Failure(enum.Enum):
    TRANSIENT = "transient"
    MESSAGE = "message"
    BUG = "bug"


# 08 connection exception, 40 transaction rollback (deadlock, serialization), 53 insufficient
# resources (too many connections, disk full, out of memory), 57 operator intervention (admin
# or crash shutdown, cannot connect now, query canceled), 58 system error (I/O).
TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})
# 22 data exception (numeric out of range, invalid text, character not in repertoire),
# 23 integrity constraint violation.
MESSAGE_SQLSTATE_CLASSES = frozenset({"22", "23"})
# program_limit_exceeded: e.g. a value too large for the btree index holding it.
MESSAGE_SQLSTATES = frozenset({"54000"})


def classify(exc: BaseException) -> Failure:
    """The class of `exc` raised while handling or dead-lettering a message."""
    if isinstance(exc, UnapplicableEvent):
        return Failure.MESSAGE
    if isinstance(exc, asyncpg.PostgresError):
        state = exc.sqlstate or ""
        if state[:2] in TRANSIENT_SQLSTATE_CLASSES:
            return Failure.TRANSIENT
        if state[:2] in MESSAGE_SQLSTATE_CLASSES or state in MESSAGE_SQLSTATES:
            return Failure.MESSAGE
        return Failure.BUG
    # InterfaceError: a connection or pool that is closed or broken under us.
    # InternalClientError ("cannot switch to state ...; another operation is in progress"):
    # the connection's protocol state broke as PostgreSQL shut down mid-transaction (seen by
    # the chaos suite dead-lettering a valid tick); a fresh connection does not have it.
    if isinstance(exc, (asyncpg.InterfaceError, asyncpg.InternalClientError, OSError,
                        TimeoutError, asyncio.TimeoutError, KafkaError)):
        return Failure.TRANSIENT
    return Failure.BUG


def is_transient(exc: BaseException) -> bool:
    return classify(exc) is Failure.TRANSIENT
