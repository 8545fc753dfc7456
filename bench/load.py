"""Load: many Streamlit sessions over the websocket protocol and several browsers, at once, on one app.

``python -m bench.load [--sessions 50] [--browsers 10] [--readme bench/README.md]``

The app is started as the benchmark and the browser tests start it (``bench.harness.app_server``).
After one unmeasured warm-up session, every session and every browser starts together and is
held open until all have rendered, so that the server carries them all at the same moment:

- a *websocket session* speaks Streamlit's protocol as the page's script does: it opens
  ``/_stcore/stream``, sends a ``rerun_script`` ``BackMsg`` and reads ``ForwardMsg``s until
  ``script_finished``, then sends the value the map's frame sends once it has drawn and reads
  the second run. It has rendered when both runs finished successfully, the first with the
  map's component, the second with the table, and neither with an exception element;
- a *browser* is its own headless Chromium process; it has rendered when the map's iframe holds
  one ``path.nmg-line`` per drawable line, as ``bench.paint`` measures it.

The server's resident memory (``VmRSS`` of the process and its children) is read before the load
and every 0.1 s during it; its CPU time (``utime + stime``) before and after. Per-session figures
divide the growth by the number of sessions and browsers. Nothing here is asserted on time: a
session that does not render within ``RENDER_TIMEOUT_S`` is counted as failed, and any failure
makes the command exit 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import CHROMIUM, CHROMIUM_ARGS, app_server, update_readme
from geo import settings
from geo.layers import load_layers
from geo.webmap import view as mapview

#: Longest wait for one session or browser to render, in seconds (a failure beyond it, not a bar).
RENDER_TIMEOUT_S = 300.0
SECTION_START, SECTION_END = "<!-- load:start -->", "<!-- load:end -->"
_COUNT_JS = "() => (window.NMG && NMG.drawnLineIds) ? NMG.drawnLineIds().length : 0"  # the map frame's own count


@dataclass
class LoadRun:
    """What one load run measured."""

    sessions: int
    browsers: int
    rendered: int = 0
    failures: list[str] = field(default_factory=list)
    ws_seconds: list[float] = field(default_factory=list)  # start of the load → each session rendered
    browser_seconds: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    idle_rss: int = 0  # bytes
    peak_rss: int = 0
    cpu_s: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0
    ws_bytes: list[int] = field(default_factory=list)

    @property
    def clients(self) -> int:
        return self.sessions + self.browsers

    def markdown(self) -> str:
        """The README section: what ran, and the server's memory and CPU per session."""
        per_rss = (self.peak_rss - self.idle_rss) / max(self.clients, 1)
        lines = [
            f"## Load: {self.sessions} websocket sessions and {self.browsers} browsers at once",
            "",
            f"`python -m bench.load --readme bench/README.md`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
            f"one app server (`bench.harness.app_server`, SQLite store, the committed layers), "
            f"{self.sessions} Streamlit sessions speaking the websocket protocol and {self.browsers} headless "
            "Chromium processes, started together and held open until every one had rendered. "
            "1-minute load average "
            f"{self.load_before:.1f} before and {self.load_after:.1f} after (2 cores, shared with other work).",
            "",
            "| figure | value |",
            "| --- | ---: |",
            f"| pages rendered | {self.rendered} of {self.clients} |",
            f"| server RSS before the load | {self.idle_rss / 2**20:.0f} MiB |",
            f"| server RSS at its peak | {self.peak_rss / 2**20:.0f} MiB |",
            f"| server RSS per session | {per_rss / 2**20:.1f} MiB |",
            f"| server CPU for the load | {self.cpu_s:.1f} s |",
            f"| server CPU per session | {self.cpu_s / max(self.clients, 1):.2f} s |",
            f"| all rendered after | {self.wall_s:.1f} s |",
            f"| a websocket session finished its script after (median, max) | {_median(self.ws_seconds):.1f} s, "
            f"{max(self.ws_seconds, default=0):.1f} s |",
            f"| a browser drew every corridor after (median, max) | {_median(self.browser_seconds):.1f} s, "
            f"{max(self.browser_seconds, default=0):.1f} s |",
            f"| websocket bytes per session (median) | {_median(self.ws_bytes) / 1024:.0f} kB |",
            "",
            "RSS and CPU are the Streamlit server's alone (the browsers and this process are not "
            "counted); per-session figures are the growth over the idle server divided by "
            f"{self.clients}. Times include waiting for the two cores: they are reported, not a bar.",
        ]
        if self.failures:
            lines += ["", "Failures:", *(f"- {f}" for f in self.failures[:20])]
        return "\n".join(lines)


def run_load(*, sessions: int, browsers: int, layer_dir: Path | None = None) -> LoadRun:
    """Start the app, warm it, load it with ``sessions`` and ``browsers`` at once; see the module doc."""
    expected = len(mapview.drawable_lines(load_layers(layer_dir or settings.DEFAULT_LAYERS)))
    run = LoadRun(sessions, browsers)
    with app_server(layer_dir) as url:
        pid = _server_pid(url)
        asyncio.run(_warm_up(url))
        run.idle_rss, cpu_before = _rss(pid), _cpu_seconds(pid)
        run.load_before = os.getloadavg()[0]
        sampler = _Sampler(pid)
        sampler.start()
        started = time.perf_counter()
        try:
            asyncio.run(_all_at_once(url, run, expected, started))
        finally:
            sampler.stop()
        run.wall_s = time.perf_counter() - started
        run.cpu_s = _cpu_seconds(pid) - cpu_before
        run.peak_rss = max(sampler.peak, run.idle_rss)
        run.load_after = os.getloadavg()[0]
    return run


async def _all_at_once(url: str, run: LoadRun, expected: int, started: float) -> None:
    everyone_done = asyncio.Event()
    remaining = [run.clients]

    async def one(task: asyncio.Future[None] | object, times: list[float]) -> None:
        try:
            await asyncio.wait_for(task, RENDER_TIMEOUT_S)  # type: ignore[arg-type]
            run.rendered += 1
            times.append(time.perf_counter() - started)
        except Exception as err:  # noqa: BLE001 - every failure is listed in the report
            run.failures.append(f"{type(err).__name__}: {err}"[:300])
        remaining[0] -= 1
        if remaining[0] == 0:
            everyone_done.set()

    rendered = [asyncio.Event() for _ in range(run.clients)]
    holders = [_ws_session(url, everyone_done, run=run, rendered=rendered[n]) for n in range(run.sessions)]
    holders += [_browser_visit(url, expected, everyone_done, rendered[run.sessions + n]) for n in range(run.browsers)]
    tasks = [asyncio.ensure_future(h) for h in holders]
    times = [run.ws_seconds] * run.sessions + [run.browser_seconds] * run.browsers
    await asyncio.gather(*(one(_first(event, task), into) for event, task, into in zip(rendered, tasks, times)))
    everyone_done.set()
    for task in tasks:  # the holders close their connections now
        try:
            await asyncio.wait_for(task, 60)
        except Exception:  # noqa: BLE001, S110 - a holder that failed was reported above
            pass


async def _warm_up(url: str) -> None:
    """One session before the load, as any earlier visitor would have run: the caches are filled."""
    release = asyncio.Event()
    release.set()
    await asyncio.wait_for(_ws_session(url, release, run=None), RENDER_TIMEOUT_S)


async def _first(event: asyncio.Event, task: asyncio.Future[None]) -> None:
    """Wait until the client rendered, or re-raise what made it fail first."""
    waiter: asyncio.Future[Any] = asyncio.ensure_future(event.wait())
    both: set[asyncio.Future[Any]] = {waiter, task}
    done, _ = await asyncio.wait(both, return_when=asyncio.FIRST_COMPLETED)
    if waiter not in done:
        waiter.cancel()
        task.result()  # raises the failure
        raise RuntimeError("the client stopped before it rendered")


async def _ws_session(url: str, release: asyncio.Event, *, run: LoadRun | None,
                      rendered: asyncio.Event | None = None) -> None:
    """One Streamlit session: rerun the script and read until it finishes, then report the map as
    drawn (the value the frame sends after its first paint) and read the second run, which adds
    the table; stay connected until released."""
    import json

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg

    stream = re.sub(r"^http", "ws", url) + "_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]
                                  open_timeout=RENDER_TIMEOUT_S, ping_interval=None) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        first, received, component = await _script_run(ws, rerun)
        if "component_instance" not in first or component is None:
            raise RuntimeError(f"the first run has no map: elements {sorted(first)}")
        widget = rerun.rerun_script.widget_states.widgets.add()
        widget.id = component
        widget.json_value = json.dumps({"ready": True, "id": None, "n": 0})
        second, more, _ = await _script_run(ws, rerun)
        if "dataframe" not in second:
            raise RuntimeError(f"the run after the map was drawn has no table: elements {sorted(second)}")
        if run is not None:
            run.ws_bytes.append(received + more)
        if rendered is not None:
            rendered.set()
        await release.wait()


async def _script_run(ws: object, rerun: object) -> tuple[set[str], int, str | None]:
    """Send ``rerun`` and read until the script finishes: the element types, the bytes received
    and the map component's widget id. A run that fails or shows an exception raises."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await ws.send(rerun.SerializeToString())  # type: ignore[attr-defined]
    elements: set[str] = set()
    received, component = 0, None
    while True:
        data = await ws.recv()  # type: ignore[attr-defined]
        received += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            elements.add(str(element.WhichOneof("type")))
            if element.WhichOneof("type") == "component_instance":
                component = element.component_instance.id
        if kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            break
    if status != "FINISHED_SUCCESSFULLY" or "exception" in elements:
        raise RuntimeError(f"session ended {status} with elements {sorted(elements)}")
    return elements, received, component


async def _browser_visit(url: str, expected: int, release: asyncio.Event, rendered: asyncio.Event) -> None:
    """One headless Chromium of its own: open the page, wait for every corridor, stay until released."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": 1400, "height": 900})).new_page()
            async def local_only(route: object) -> None:  # nothing outside the app is fetched
                request_url = route.request.url  # type: ignore[attr-defined]
                await (route.continue_() if request_url.startswith(url) else route.abort())  # type: ignore[attr-defined]

            await page.route("**/*", local_only)
            await page.goto(url, wait_until="commit", timeout=RENDER_TIMEOUT_S * 1000)
            while await _drawn(page) < expected:
                await asyncio.sleep(0.1)
            rendered.set()
            await release.wait()
        finally:
            await browser.close()


async def _drawn(page: object) -> int:
    best = 0
    for frame in page.frames:  # type: ignore[attr-defined]
        try:
            best = max(best, await frame.evaluate(_COUNT_JS))
        except Exception:  # noqa: BLE001, S112 - a frame navigating away: look again next time
            continue
    return best


class _Sampler(threading.Thread):
    """The server's peak RSS, read every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.1):
            self.peak = max(self.peak, _rss(self.pid))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _server_pid(url: str) -> int:
    """The Streamlit process serving ``url`` (its command line names the port)."""
    port = url.rstrip("/").rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and b"--server.port" in args and port.encode() in args:
            return int(entry.name)
    raise RuntimeError(f"no Streamlit process found for {url}")


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        todo += [int(c) for c in children]
    return pids


def _rss(pid: int) -> int:
    total = 0
    for p in _tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def _cpu_seconds(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load once; print the section (and write it into ``--readme``); exit 1 on a failure."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="websocket sessions (default 50)")
    parser.add_argument("--browsers", type=int, default=10, help="headless Chromium processes (default 10)")
    parser.add_argument("--layers", type=Path, help="layer folder (default: the committed layers)")
    parser.add_argument("--readme", type=Path, help="write the section into this README")
    args = parser.parse_args(argv)
    run = run_load(sessions=args.sessions, browsers=args.browsers, layer_dir=args.layers)
    section = run.markdown()
    print(section)
    if args.readme:
        update_readme(args.readme, section, start=SECTION_START, end=SECTION_END, append=True)
    return 0 if run.rendered == run.clients and not run.failures else 1


if __name__ == "__main__":
    sys.exit(main())
