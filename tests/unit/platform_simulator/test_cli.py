"""The command line: what it accepts, what it refuses (exit 2), and the dry run's output."""

import json
import uuid
from datetime import UTC, datetime

import pytest

from services.platform_simulator.cli import main, parse_options
from services.platform_simulator.settings import SimulatorSettings
from shared.events import decode

SETTINGS = SimulatorSettings(app_env="test", simulator_rate=3.0)
PINNED = ["--seed", "5", "--start-time", "2026-11-23T09:00:00+01:00"]


def _refused(argv, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        parse_options(argv, SETTINGS)
    assert info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    ([], "no clients to simulate"),
    (["--invite", "3"], "--invite needs at least one --firm-id"),
    (["--clients", "2", "--firm-id", str(uuid.uuid4())], "only used with --invite"),
    (["--clients", "2", "--dry-run"], "--dry-run needs --events"),
    (["--clients", "2", "--dry-run", "--duration", "5", "--rate", "0"], "--dry-run needs"),
    (["--clients", "-1"], "must be >= 0"),
    (["--clients", "2", "--rate", "-2"], "must be >= 0"),
    (["--clients", "2", "--events", "0"], "must be > 0"),
    (["--clients", "2", "--start-time", "2026-11-23T09:00:00"], "needs an offset"),
    (["--client-id", "not-a-uuid"], "invalid UUID value"),
    (["--clients-file", "/nonexistent/ids.txt"], "No such file"),
])
def test_bad_command_lines_are_refused_with_a_reason(argv, message, capsys):
    assert message in _refused(argv, capsys)


def test_a_bad_line_in_the_clients_file_is_named(tmp_path, capsys):
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# demo firm\n{uuid.uuid4()}\n\nnot-a-uuid\n")
    assert f"{ids}:4: not a UUID: 'not-a-uuid'" in _refused(["--clients-file", str(ids)], capsys)


def test_client_ids_come_from_options_and_file_in_order(tmp_path):
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{b}  # first of the file\n{c}\n")
    options = parse_options(["--client-id", str(a), "--clients-file", str(ids)], SETTINGS)
    assert options.plan.client_ids == (a, b, c)
    assert options.plan.rate == 3.0  # the settings' default
    assert options.dry_run is False and options.limits.events is None


def test_defaults_seed_start_time_and_sequence_from_now():
    before = datetime.now(UTC).replace(microsecond=0)
    plan = parse_options(["--clients", "2"], SETTINGS).plan
    assert before <= plan.start_time <= datetime.now(UTC)
    # Epoch milliseconds: a later run's sequences supersede an earlier run's.
    assert plan.sequence_start == int(plan.start_time.timestamp() * 1000)


def test_dry_run_with_duration_sends_rate_times_duration():
    options = parse_options(["--clients", "2", "--dry-run", "--rate", "4", "--duration", "2.5"],
                            SETTINGS)
    assert options.limits.events == 10
    options = parse_options(["--clients", "2", "--dry-run", "--rate", "4", "--duration", "5",
                             "--events", "7"], SETTINGS)
    assert options.limits.events == 7


def test_dry_run_prints_events_and_a_matching_summary(tmp_path, capsys):
    figures = tmp_path / "figures.json"
    firm = str(uuid.uuid4())
    code = main(["--clients", "4", "--firm-id", firm, "--invite", "2", "--events", "120",
                 "--dry-run", "--figures-out", str(figures), "--sequence-start", "1", *PINNED])
    out, err = capsys.readouterr()
    assert code == 0
    events = [decode(line) for line in out.splitlines()]
    assert len(events) == 120
    assert [e.type for e in events[:2]] == ["company.bookkeeper_invited"] * 2
    created = sum(e.type == "expense.created" for e in events)
    assert "120 events to stdout (dry run)" in err and "seed 5" in err
    assert f"expense.created{created:>21}" in err
    written = json.loads(figures.read_text())
    assert set(written) <= {e.envelope.subject for e in events}
    assert {f["currency"] for f in written.values()} == {"EUR"}


def test_dry_run_output_is_identical_for_the_same_seed(capsys):
    argv = ["--clients", "6", "--events", "300", "--dry-run", *PINNED]
    main(argv)
    first = capsys.readouterr().out
    main(argv)
    assert capsys.readouterr().out == first
    main([*argv[:-4], "--seed", "6", *argv[-2:]])
    assert capsys.readouterr().out != first


def test_a_burst_is_the_recent_past_and_keeps_the_sequence_base_at_now():
    before = datetime.now(UTC).replace(microsecond=0)
    options = parse_options(["--clients", "2", "--burst", "600", "--rate", "2"], SETTINGS)
    plan = options.plan
    assert options.limits.burst == 600
    # 600 events at 2/s are the last 300 s: the paced events that follow happen now.
    assert plan.start_time + 600 * plan.step >= before
    assert (before - plan.start_time).total_seconds() in (300, 299)
    assert plan.sequence_start >= int(before.timestamp() * 1000)
