"""The summary counts exactly what was written, and says it."""

import io
import json
from collections import Counter

from services.platform_simulator.domain.simulation import Simulation
from services.platform_simulator.runner import run_dry


def test_counts_match_the_written_events(plan):
    out = io.StringIO()
    tally = run_dry(Simulation(plan), count=1500, topic_prefix="t1.", out=out)
    docs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(docs) == tally.total == 1500
    assert Counter(d["type"] for d in docs) == tally.by_type
    assert tally.clients == {d["subject"] for d in docs}
    assert tally.expenses_without_receipt == sum(
        d["type"] == "expense.created" and not d["data"]["has_receipt"] for d in docs)
    assert sum(tally.by_topic.values()) == 1500
    assert all(t.startswith("t1.platform.") for t in tally.by_topic)


def test_summary_and_progress_say_the_numbers(plan):
    tally = run_dry(Simulation(plan), count=300, topic_prefix="", out=io.StringIO())
    text = tally.summary(elapsed=2.0, seed=7, target="kafka:9092", missing_receipts=12,
                         ready_for_export=3, clients_planned=23)
    assert "300 events to kafka:9092 in 2.0s (150.0 events/s), seed 7" in text
    assert f"expense.created{tally.by_type['expense.created']:>{28 - 15 + 8}}" in text
    assert "12 missing receipts, 3 ready for export" in text
    line = tally.progress_line(3.0)
    assert "300 events (100.0/s)" in line
    assert f"created={tally.by_type['expense.created']}" in line
