"""Browser figures: the app started as the README starts it, headless Chromium, time to every corridor.

The app runs as ``make run`` runs it: ``python -m geo.assets``, then in a subprocess on a free
port ``python -m streamlit run app.py --server.port N --server.headless true -- --layers DIR``,
with its local state in a temporary folder. Each run opens the page in a fresh browser context
(a new visitor: a new Streamlit session, a cold browser cache) and measures from the navigation
until the map's frame has painted as many corridors (``NMG.drawnLineIds()``, on its canvas) as
the layers have drawable lines. A first, unmeasured visit warms
the server's caches, as any earlier visitor would have. ``<label>_revisit_s`` is the same
visitor opening the page again (the browser's cache warm, a new Streamlit session).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from bench.measure import Figure, figure
from geo import mapview, settings
from geo.layers import load_layers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
#: Longest wait for the app to answer, and for one page to draw every corridor (seconds).
START_TIMEOUT_S = 60.0
PAINT_TIMEOUT_S = 120.0
_COUNT_JS = "() => window.NMG && NMG.state && NMG.state.painted > 0 ? NMG.drawnLineIds().length : 0"


class PaintError(RuntimeError):
    """The app did not start, or a page never drew every corridor."""


def paint_figures(label: str, layer_dir: Path, *, runs: int) -> list[Figure]:
    """``<label>_s``: seconds from navigation to every corridor drawn, for the layers in ``layer_dir``."""
    expected = len(mapview.drawable_lines(load_layers(layer_dir)))
    with app_server(layer_dir) as url, _browser() as browser:
        _visit(browser, url, expected)  # warm-up: the server loads and caches the layers
        first, again, received = zip(*(_visit(browser, url, expected) for _ in range(runs)), strict=True)
    return [figure(f"{label}_s", first, "s"), figure(f"{label}_revisit_s", again, "s"),
            figure(f"{label}_ws_bytes", received, "bytes", digits=0),
            Figure(f"{label}_lines", expected, "paths", expected, expected, 1)]


@contextmanager
def app_server(layer_dir: Path | None = None, *, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The app as ``make run`` starts it, on a free port of 127.0.0.1; yields its URL.

    ``layer_dir``: the layers to read (default: the committed ones). ``env``: variables on top of
    a throw-away ``GEO_VAR_DIR`` and the default SQLite store (e.g. ``GEO_DATABASE_URL``).
    Shared by the benchmark and the browser tests, so both measure and test the same start.
    """
    # As ``make run``: the vendor files first (``python -m geo.assets``), then Streamlit.
    subprocess.run([sys.executable, "-m", "geo.assets"], cwd=settings.ROOT, check=True,
                   capture_output=True, timeout=120)
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1"]
    if layer_dir is not None:
        command += ["--", "--layers", str(layer_dir)]
    with tempfile.TemporaryDirectory(prefix="bench-app-") as var, \
            tempfile.TemporaryFile() as log:
        variables = {**os.environ, "GEO_VAR_DIR": var, "GEO_DATABASE_URL": "", **(env or {})}
        proc = subprocess.Popen(command, cwd=settings.ROOT, env=variables, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}/"
            _wait_until_up(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def _browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _visit(browser: object, url: str, expected: int) -> tuple[float, float, int]:
    """Seconds to every corridor on a first visit (fresh context) and on a second one, and the
    bytes the first visit received over Streamlit's websocket (the map travels there, in the
    component's arguments, not as a file)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    received = [0]

    def count(ws: object) -> None:
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))  # type: ignore[attr-defined]

    try:
        page = context.new_page()
        page.on("websocket", count)
        first = _paint(page, url, expected)
        first_bytes = received[0]
        return first, _paint(page, url, expected), first_bytes
    finally:
        context.close()


def _paint(page: object, url: str, expected: int) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")  # type: ignore[attr-defined]
    deadline = start + PAINT_TIMEOUT_S
    while time.perf_counter() < deadline:
        if _drawn(page) >= expected:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise PaintError(f"{url}: {_drawn(page)} of {expected} corridors drawn after {PAINT_TIMEOUT_S:.0f} s")


def _drawn(page: object) -> int:
    """The most corridors any frame of the page has painted (the map lives in a component frame)."""
    best = 0
    for frame in page.frames:  # type: ignore[attr-defined]
        try:
            best = max(best, frame.evaluate(_COUNT_JS))
        except Exception:  # noqa: BLE001, S112 - a frame navigating away or detached: look again next time
            continue
    return best


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: object) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise PaintError(f"the app exited with {proc.returncode}: {log.read().decode(errors='replace')[-2000:]}")  # type: ignore[attr-defined]
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise PaintError(f"the app did not answer at {url} within {START_TIMEOUT_S:.0f} s")
