"""Drive one benchmark scenario with `wrk` (C, one thread) instead of the Python client.

The aiohttp load generator needs about as much CPU per request as the service itself, and
on a 2-core machine it competes with the server and PostgreSQL; wrk needs a few percent.
wrk is closed-loop like the aiohttp generator (each connection sends its next request when
the previous answer arrived) and reports p50/p99 from its own histogram.
Install: `apt-get install -y wrk` (Debian's wrk 4.1).
"""

import re
import shutil
import subprocess
import tempfile
from urllib.parse import urlencode

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}

SCRIPT = """
local paths = {%(paths)s}
local i = 0
wrk.headers["Authorization"] = "Bearer %(token)s"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def paths_of(path: str, params: dict, rotate_q: list[str] | None) -> list[str]:
    """The request paths of a scenario (one per search word when it rotates `q`)."""
    if not rotate_q:
        return [f"{path}?{urlencode(params)}" if params else path]
    return [f"{path}?{urlencode(dict(params, q=q))}" for q in rotate_q]


def run_wrk(base: str, paths: list[str], token: str, *, connections: int,
            seconds: int, timeout_seconds: int = 2) -> dict:
    """p50/p99 in ms, requests per second and the request count of one wrk run (a request
    slower than `timeout_seconds` fails the run: wrk leaves it out of its figures)."""
    lua = SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths), "token": token}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua)
        script.flush()
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout_seconds}s",
             "--latency", "-s",
             script.name, base], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise AssertionError(f"wrk saw failed requests:\n{out}")
    return {"p50": _latency(out, "50%"), "p99": _latency(out, "99%"),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1))}


def _latency(out: str, label: str) -> float:
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
    return float(value) * UNITS_MS[unit]
