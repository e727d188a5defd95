"""The list's memory of who each staff member was: bounded, the least recently seen go."""

import uuid
from dataclasses import replace

from services.clients.domain.known_callers import KnownCallers
from services.clients.domain.visibility import Caller


def caller(role: str = "admin") -> Caller:
    return Caller(id=uuid.uuid4(), firm_id=uuid.uuid4(), role=role, name="N", email="e",
                  locale="en")


def test_remembers_forgets_and_replaces():
    known, anna = KnownCallers(), caller()
    assert known.get(anna.id) is None
    known.remember(anna)
    assert known.get(anna.id) == anna
    demoted = replace(anna, role="bookkeeper")
    known.remember(demoted)
    assert known.get(anna.id).role == "bookkeeper"
    known.forget(anna.id)
    assert known.get(anna.id) is None


def test_the_least_recently_remembered_go_first_beyond_the_limit():
    known = KnownCallers(limit=2)
    a, b, c = caller(), caller(), caller()
    known.remember(a)
    known.remember(b)
    known.remember(a)  # seen again: now the newest
    known.remember(c)
    assert known.get(b.id) is None
    assert known.get(a.id) == a and known.get(c.id) == c
