"""Debian's headless Chromium under Playwright, with the flags this closed network needs."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# network refuses, and pages wait on it; --no-sandbox because CI runs as root.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-quic"]


async def launch(playwright):
    """A headless Chromium: /usr/bin/chromium, never a browser Playwright downloads."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run deploy/chromium.sh install")
    return await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                            args=FLAGS)
