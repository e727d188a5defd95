"""schemathesis over a service's OpenAPI, in process: no route may answer 5xx or non-JSON errors.

Each operation gets positive cases (valid by the schema, often with the ids of real rows so
they get past the 404s), negative ones (invalid by the schema) and hostile ones: a positive
case with NUL, another control character or a lone surrogate put into one of its strings
(schemathesis' own generator makes those too rarely for a bounded run). All are sent with the
caller's credentials. Failures are collected per operation (hypothesis shrinks each to a minimal
request) so one run reports all of them; the test prints one summary line to quote.
"""

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

# Requests the caller adds to a case: headers, or `data` (raw body bytes) with its headers.
Credentials = Callable[[schemathesis.Case], dict[str, Any]]

# What asyncpg cannot send (NUL, lone surrogates) and what no name should hold (controls).
HOSTILE_CHARACTERS = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\x9b", "\t", "\n",
                      "\ud800", "\udfff"]
MODES = ("positive", "negative", "hostile")


def error_body_is_json(ctx, response, case) -> None:
    """Every 4xx/5xx answers in the one JSON error shape."""
    if response.status_code < 400:
        return
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
        f"{response.status_code} is not JSON")
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"not the error shape: {body}"


@dataclass
class FuzzReport:
    service: str
    operations: int = 0
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)  # "2xx", "4xx"... of the answers

    def line(self) -> str:
        answers = ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items()))
        return (f"schemathesis {self.service}: {self.operations} operations, {self.cases} cases "
                f"generated, {len(self.failures)} failures (checks not_a_server_error, "
                f"error_body_is_json) in {self.seconds:.1f} s; answers: {answers}")


def fuzz(schema, service: str, *, credentials: Credentials, real_ids: dict[str, str],
         max_examples: int) -> FuzzReport:
    """Run every operation of `schema` in both generation modes; return the figures."""
    report = FuzzReport(service)
    started = time.monotonic()
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            report.operations += 1
            for mode in MODES:
                failure = _fuzz_operation(operation, mode, credentials, real_ids, max_examples,
                                          report)
                if failure:
                    report.failures.append(f"{operation.label} [{mode}]: {failure}")
    finally:
        asgi.shutdown_lifespans()  # the app's pool and producer, in the loop that opened them
        report.seconds = time.monotonic() - started
    return report


def _strategy(operation, mode: str, real_ids: dict[str, str]):
    if mode == "negative":
        return operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    generated = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    names = {p.name for p in operation.path_parameters}
    known = {name: real_ids[name] for name in names if name in real_ids}
    if known:
        # Half of the valid cases name real rows, so they reach the code behind the lookups.
        generated = st.one_of(generated, operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE, path_parameters=known))
    return _with_hostile_text(generated) if mode == "hostile" else generated


def _string_slots(value: Any) -> list:
    """(container, key) of the strings worth poisoning: top-level text fields first.

    Ids and the random extra keys of positive cases would soak up most draws otherwise
    (a malformed UUID is refused whatever it holds).
    """
    nested: list = []

    def walk(node: Any, depth: int) -> None:
        items = node.items() if isinstance(node, dict) else (
            enumerate(node) if isinstance(node, list) else ())
        for key, item in items:
            if isinstance(item, str):
                nested.append((depth, _looks_like_uuid(item), node, key))
            else:
                walk(item, depth + 1)

    walk(value, 0)
    best = [(node, key) for depth, is_id, node, key in nested if depth == 0 and not is_id]
    return best or [(node, key) for _, _, node, key in nested]


def _looks_like_uuid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4


@st.composite
def _with_hostile_text(draw, cases):
    """A case with one hostile character put into one of its body or query strings."""
    case = draw(cases)
    body = _string_slots(case.body) if isinstance(case.body, dict | list) else []
    query = _string_slots(case.query) if case.query else []
    if not body and not query:
        hypothesis.reject()  # nothing to poison: the plain modes cover this operation
    in_body = bool(body) and (not query or draw(st.booleans()))
    container, key = draw(st.sampled_from(body if in_body else query))
    # A query string is bytes: a lone surrogate cannot even be sent (the client refuses).
    chars = HOSTILE_CHARACTERS if in_body else HOSTILE_CHARACTERS[:-2]
    char = draw(st.sampled_from(chars))
    at = draw(st.integers(0, len(container[key])))
    container[key] = container[key][:at] + char + container[key][at:]
    return case


def _fuzz_operation(operation, mode, credentials, real_ids, max_examples,
                    report: FuzzReport) -> str | None:
    @hypothesis.settings(max_examples=max_examples, deadline=None, database=None,
                         phases=[Phase.explicit, Phase.generate, Phase.shrink],
                         suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=_strategy(operation, mode, real_ids))
    def run(case: schemathesis.Case) -> None:
        report.cases += 1
        extra = credentials(case)
        response = case.call(**extra)
        report.statuses[f"{response.status_code // 100}xx"] += 1
        case.validate_response(response, checks=[not_a_server_error, error_body_is_json],
                               headers=extra.get("headers"))

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        return None  # nothing to make invalid (an operation without parameters or body)
    except Exception as exc:  # noqa: BLE001 - reported with the shrunk request, then next op
        with contextlib.suppress(Exception):
            return " | ".join(str(exc).strip().splitlines()[:12])
        return repr(exc)
    return None
