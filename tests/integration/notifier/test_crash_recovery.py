"""kill -9 the notifier while 1,000 digests are being sent, restart it: every digest arrives,
and a duplicate only for a message whose SMTP transaction was cut, with the same Message-ID."""

import asyncio
import uuid
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from services.notifier.consumers.partner import partner_handlers
from services.notifier.settings import NotifierSettings
from tests.integration.notifier import factories as f
from tests.integration.waiting import wait_for
from tests.integration.notifier.process import NotifierProcess
from tests.integration.notifier.smtp_sink import SmtpSink

pytestmark = pytest.mark.integration

DIGESTS = 1000
CONNECTIONS = 8
# Monday 1 June 2026 (summer time): 10:00 in Copenhagen is 08:00 UTC.
SEND_TIME = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


async def _seed(pool, firm: uuid.UUID, unique: str) -> dict[str, uuid.UUID]:
    """1,000 bookkeepers, each assigned to one active client with a weekly digest on.

    Applied with the notifier's own handlers (what its consumer would do with these events),
    to keep the test about the sender."""
    handlers = partner_handlers(pool, NotifierSettings())
    staff, clients, links, settings = [], [], [], []
    mails: dict[str, uuid.UUID] = {}
    for i in range(DIGESTS):
        staff_id, client_id = uuid.uuid4(), uuid.uuid4()
        mail = f"crash-{unique}-{i}@example.com"
        mails[mail] = staff_id
        staff.append(f.staff_upserted(staff_id=staff_id, firm_id=firm, email=mail,
                                      name=f"Bookkeeper {i}", role="bookkeeper"))
        clients.append(f.client_upserted(client_id=client_id, firm_id=firm, name=f"Client {i}"))
        links.append(f.assignees_changed(client_id=client_id, firm_id=firm, staff_ids=[staff_id]))
        settings.append(f.preference_changed(staff_id=staff_id, client_id=client_id,
                                             changed_at=datetime(2026, 5, 20, tzinfo=UTC),
                                             first_digest_at=SEND_TIME))
    for events in (staff, clients, links, settings):
        decoded = f.as_events(*events)
        await handlers[decoded[0].type](decoded)
    return mails


async def test_kill_minus_nine_mid_send_then_restart_delivers_every_digest(
        settings, pool, producer, firms, unique, tmp_path):
    firm = uuid.uuid4()
    firms.append(firm)
    mails = await _seed(pool, firm, unique)
    with SmtpSink(data_delay=0.01) as sink:
        proc = NotifierProcess(app_id=f"ncrash-{unique}", smtp_port=sink.port, log_dir=tmp_path,
                               notifier_smtp_connections=CONNECTIONS,
                               notifier_send_lease_seconds=3)
        await proc.create_topics(settings.kafka_bootstrap_servers)
        proc.start()
        try:
            await proc.wait_ready(pool, producer)
            await producer.send(proc.topics["ticks"], f.tick(SEND_TIME))
            await wait_for(lambda: len(sink.handler.to_any(mails)) >= 250, interval=0.01)
            proc.kill()
            at_kill = len(sink.handler.to_any(mails))
            assert at_kill < DIGESTS, "the kill must land while digests are being sent"

            # The sender resumes at once: it needs no Kafka consumer, only the outbox rows
            # (claimable again once the dead process's lease is over).
            proc.start()
            await proc.wait_ready(pool, producer, consuming=False)
            await wait_for(lambda: {r.recipient for r in sink.handler.to_any(mails)} >= set(mails),
                           timeout=40)
            await asyncio.sleep(1)  # anything still to come would be a duplicate
        finally:
            proc.stop()
        received = sink.handler.to_any(mails)

    by_recipient = defaultdict(list)
    for r in received:
        by_recipient[r.recipient].append(r.message["Message-ID"])
    assert set(by_recipient) == set(mails)  # every digest arrived
    doubled = {rcpt: ids for rcpt, ids in by_recipient.items() if len(ids) > 1}
    # A duplicate is only a message in flight at the kill: at most one per SMTP connection,
    # and it is the same message (same Message-ID).
    assert len(doubled) <= CONNECTIONS, doubled
    assert all(len(ids) == 2 and len(set(ids)) == 1 for ids in doubled.values()), doubled
    # This notifier's rows only: another notifier on the shared database (a send tick for
    # the coming Monday) may write its own digests for these staff members meanwhile.
    statuses = await pool.fetch(
        "select status, count(*) from notifier.email_outbox where staff_id = any($1::uuid[])"
        " and origin = $2 group by status", list(mails.values()), proc.app_id)
    assert {r["status"]: r["count"] for r in statuses} == {"sent": DIGESTS}
    # Rows the killed process had claimed but not tried yet cost no attempt: no row counts
    # more attempts than the SMTP server saw tries (before the fix, ~50 of 1,000 did).
    counted = await pool.fetch("select staff_id, attempts from notifier.email_outbox"
                               " where origin = $1", proc.app_id)
    tries = {mails[m]: n for m, n in sink.handler.attempts.items() if m in mails}
    assert [r for r in counted if r["attempts"] > tries[r["staff_id"]]] == []
