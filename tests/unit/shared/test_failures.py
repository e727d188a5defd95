"""Each failure a consumer can meet, classified: retry (transient), dead-letter (message), bug."""

import asyncio

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NotLeaderForPartitionError

from services.clients.domain.errors import UnknownFirm
from shared.kafka.failures import Failure, classify

E = asyncpg.exceptions


def pg(cls: type[asyncpg.PostgresError]) -> asyncpg.PostgresError:
    """A server error as asyncpg builds it from the server's message (sqlstate included)."""
    return cls.new({"C": cls.sqlstate, "M": "from the server", "S": "ERROR"})


@pytest.mark.parametrize("cls", [
    E.CannotConnectNowError,        # 57P03 the database system is starting up / shutting down
    E.AdminShutdownError,           # 57P01 terminating connection due to administrator command
    E.CrashShutdownError,           # 57P02
    E.QueryCanceledError,           # 57014
    E.TooManyConnectionsError,      # 53300 out of connection slots
    E.OutOfMemoryError,             # 53200
    E.DiskFullError,                # 53100
    E.ConnectionFailureError,       # 08006
    E.ConnectionDoesNotExistError,  # 08003
    E.ClientCannotConnectError,     # 08001
    E.DeadlockDetectedError,        # 40P01
    E.SerializationError,           # 40001
    E.PostgresIOError,              # 58030
])
def test_database_going_away_or_busy_is_transient(cls):
    assert classify(pg(cls)) is Failure.TRANSIENT


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError(111, "Connection refused"),
    ConnectionResetError(104, "Connection reset by peer"),
    OSError(113, "No route to host"),
    TimeoutError(),
    asyncio.TimeoutError(),
    asyncpg.InterfaceError("cannot perform operation: connection is closed"),
    E.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    # as PostgreSQL shut down mid-transaction (the chaos suite's postgres-restart)
    asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in "
                                "progress"),
    KafkaConnectionError("broker away"),
    KafkaTimeoutError(),
    NotLeaderForPartitionError(),
])
def test_network_pool_and_kafka_failures_are_transient(exc):
    assert classify(exc) is Failure.TRANSIENT


@pytest.mark.parametrize("cls", [
    E.NumericValueOutOfRangeError,     # 22003
    E.InvalidTextRepresentationError,  # 22P02
    E.CharacterNotInRepertoireError,   # 22021 (NUL in text)
    E.UntranslatableCharacterError,    # 22P05
    E.StringDataRightTruncationError,  # 22001
    E.DatetimeFieldOverflowError,      # 22008
    E.UniqueViolationError,            # 23505
    E.NotNullViolationError,           # 23502
    E.ForeignKeyViolationError,        # 23503
    E.CheckViolationError,             # 23514
    E.ProgramLimitExceededError,       # 54000 index row size exceeds maximum
])
def test_data_the_database_refuses_is_the_messages_fault(cls):
    assert classify(pg(cls)) is Failure.MESSAGE


async def test_asyncpg_refusing_to_encode_a_value_is_the_messages_fault():
    # What asyncpg raises client-side for an int beyond bigint: a DataError, SQLSTATE 22000.
    exc = asyncpg.DataError("invalid input for query argument $1: 18446744073709551616 "
                            "(value out of int64 range)")
    assert exc.sqlstate == "22000"
    assert classify(exc) is Failure.MESSAGE


@pytest.mark.parametrize("exc", [
    pg(E.UndefinedTableError),    # 42P01: a migration missing, not the message
    pg(E.SyntaxOrAccessError),    # 42000
    pg(E.InsufficientPrivilegeError),
    KeyError("x"),
    AttributeError("y"),
    ValueError("a handler's own refusal"),
])
def test_anything_else_is_a_bug(exc):
    assert classify(exc) is Failure.BUG


def test_an_event_its_handler_can_never_apply_is_the_messages_fault():
    assert classify(UnknownFirm("company.bookkeeper_invited names unknown firm x")) \
        is Failure.MESSAGE
