"""The notifier's unit of work: one transaction of the `notifier` schema and its repositories."""

import asyncpg

from services.notifier.db import SCHEMA
from services.notifier.db.digests import Digests
from services.notifier.db.directory import Directory
from services.notifier.db.reminders import Reminders
from shared.db.unit_of_work import UnitOfWork
from shared.task_figures import TaskFigures


class NotifierUnitOfWork(UnitOfWork):
    """A transaction of the notifier schema. Its handlers announce nothing: `email.sent` and
    `email.failed` are written by the sender with the outcome they announce."""

    directory: Directory
    figures: TaskFigures
    digests: Digests
    reminders: Reminders

    def __init__(self, pool: asyncpg.Pool):
        super().__init__(pool, SCHEMA)

    def _bind(self, conn: asyncpg.Connection) -> None:
        self.directory = Directory(conn)
        self.figures = TaskFigures(conn, SCHEMA)
        self.digests = Digests(conn)
        self.reminders = Reminders(conn)
