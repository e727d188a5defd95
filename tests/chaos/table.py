"""One row per fault, printed as a Markdown table (it goes into docs/RELIABILITY.md)."""

from dataclasses import dataclass, field


@dataclass
class Row:
    fault: str
    passed: bool = False
    recovery_seconds: float | None = None
    events: int = 0
    events_lost: int = 0
    clients_wrong: dict[str, int] = field(default_factory=dict)
    digests_expected: int = 0
    digests_lost: int = 0
    digests_doubled: int = 0
    digests_resent: int = 0
    dead_letters: int = 0
    why: list[str] = field(default_factory=list)


HEADER = ("| fault | result | recovery | events (lost) | clients wrong (clients / notifier) "
          "| digests lost / doubled (re-sent, same Message-ID) | dead letters | why |\n"
          "|---|---|---|---|---|---|---|---|")


def line(row: Row) -> str:
    recovery = (f"{row.recovery_seconds:.0f} s" if row.recovery_seconds is not None
                else "not recovered")
    wrong = " / ".join(str(row.clients_wrong.get(m, "?")) for m in ("clients", "notifier"))
    digests = (f"{row.digests_lost} / {row.digests_doubled} of {row.digests_expected}"
               f" ({row.digests_resent})")
    return (f"| {row.fault} | {'pass' if row.passed else 'FAIL'} | {recovery} "
            f"| {row.events} ({row.events_lost}) | {wrong} | {digests} | {row.dead_letters} "
            f"| {'; '.join(row.why) or '-'} |")


def render(rows: list[Row]) -> str:
    return "\n".join([HEADER, *(line(r) for r in rows)])
