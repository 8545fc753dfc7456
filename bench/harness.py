"""The harness the benchmark and the browser tests share: one Chromium, one app server, one README writer.

``CHROMIUM`` and ``CHROMIUM_ARGS`` define the browser once; ``app_server`` starts the app as
``make run`` does (the vendor files, then Streamlit on a free port of 127.0.0.1) and stops it;
``streamlit_server`` does the same for any Streamlit script (the benchmark's baselines);
``update_readme`` replaces one marked section of a README.
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
from typing import IO, Any

from geo import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Longest wait for a started app to answer its health check (seconds).
START_TIMEOUT_S = 60.0


class HarnessError(RuntimeError):
    """The app did not start, or did not answer in time."""


@contextmanager
def app_server(layer_dir: Path | None = None, *, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The app as ``make run`` starts it, on a free port of 127.0.0.1; yields its URL.

    ``layer_dir``: the layers to read (default: the committed ones). ``env``: variables on top of
    a throw-away ``GEO_VAR_DIR`` and the default SQLite store (e.g. ``GEO_DATABASE_URL``).
    """
    # As ``make run``: the vendor files first (``python -m geo.webmap.assets``), then Streamlit.
    subprocess.run([sys.executable, "-m", "geo.webmap.assets"], cwd=settings.ROOT, check=True,
                   capture_output=True, timeout=120)
    args = ("--layers", str(layer_dir)) if layer_dir is not None else ()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as var, \
            streamlit_server("app.py", *args, env={"GEO_VAR_DIR": var, "GEO_DATABASE_URL": "", **(env or {})}) as url:
        yield url


@contextmanager
def streamlit_server(script: str, *args: str, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``streamlit run script -- args`` from the repository on a free port of 127.0.0.1, headless;
    yields its URL once its health check answers, and stops it (terminate, then kill) on exit."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1"]
    command += ["--", *args] if args else []
    variables = {**os.environ, "PYTHONPATH": str(settings.ROOT), **(env or {})}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=settings.ROOT, env=variables, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def browser_session() -> Iterator[Any]:
    """A headless Chromium (Debian's, with ``CHROMIUM_ARGS``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def update_readme(path: Path, section: str, *, start: str, end: str, append: bool = False) -> Path:
    """Put ``section`` between the markers ``start`` and ``end`` of ``path``; nothing else changes.

    Without the markers: with ``append``, the marked section is added at the end; otherwise
    ``ValueError``.
    """
    text = path.read_text("utf-8")
    marked = f"{start}\n{section.strip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + marked + rest.split(end, 1)[1]
    elif append:
        text = text.rstrip("\n") + "\n\n" + marked + "\n"
    else:
        raise ValueError(f"{str(path)!r} has no {start} … {end} markers to fill")
    path.write_text(text, "utf-8")
    return path


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """Return once ``url``'s Streamlit health check answers; ``HarnessError`` if ``proc`` exits first
    (with the end of its ``log``) or nothing answers within ``START_TIMEOUT_S``."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise HarnessError(f"the app exited with {proc.returncode}: {log.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise HarnessError(f"the app did not answer at {url} within {START_TIMEOUT_S:.0f} s")
