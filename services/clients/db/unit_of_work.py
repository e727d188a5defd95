"""The clients service's unit of work: one transaction and the repositories over it."""

from collections.abc import Callable

import asyncpg

from services.clients.db import SCHEMA
from services.clients.db.access import AccessGrants
from services.clients.db.audit import AuditLog
from services.clients.db.case_openings import CaseOpenings
from services.clients.db.directory import Directory
from services.clients.db.links import Links
from services.clients.db.preferences import Preferences
from services.clients.db.reminders import Reminders
from shared.db.unit_of_work import UnitOfWork
from shared.task_figures import TaskFigures


def no_case_opener() -> None:
    """The case opener to wake where none runs (tests, tools): nobody to nudge."""


class ClientsUnitOfWork(UnitOfWork):
    """A transaction of the clients schema announcing on `announce_topic`.

    `wake_case_opener` nudges the case opener once an invite has committed (it also polls
    on its own).
    """

    links: Links
    directory: Directory
    figures: TaskFigures
    preferences: Preferences
    reminders: Reminders
    access: AccessGrants
    case_openings: CaseOpenings
    audit: AuditLog

    def __init__(self, pool: asyncpg.Pool, *, announce_topic: str,
                 wake_case_opener: Callable[[], None] = no_case_opener):
        super().__init__(pool, SCHEMA, announce_topic=announce_topic)
        self.wake_case_opener = wake_case_opener

    def _bind(self, conn: asyncpg.Connection) -> None:
        self.links = Links(conn)
        self.directory = Directory(conn)
        self.figures = TaskFigures(conn, SCHEMA)
        self.preferences = Preferences(conn)
        self.reminders = Reminders(conn)
        self.access = AccessGrants(conn)
        self.case_openings = CaseOpenings(conn)
        self.audit = AuditLog(conn)
