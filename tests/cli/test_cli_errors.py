"""Every command on broken input ends in one line and exit status 2, never a traceback, and leaves
no partial file: malformed, missing or empty layers, an ``--out`` that is a folder or has no
folder, a read-only or full disk. Names that look like TeX are printed as they are."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import settings as geo_settings
from geo.cli import main

#: Each command with where its layers and its output go.
COMMANDS: dict[str, Callable[[Path, Path, str], list[str]]] = {
    "review": lambda layers, out, db: ["review", str(layers)],
    "review-csv": lambda layers, out, db: ["review", str(layers), "--format", "csv"],
    "report-html": lambda layers, out, db: ["report", "--year", "2014", "--format", "html", "--layers", str(layers),
                                            "--database", db, "--out", str(out)],
    "report-xlsx": lambda layers, out, db: ["report", "--year", "2014", "--format", "xlsx", "--layers", str(layers),
                                            "--database", db, "--out", str(out)],
    "briefing": lambda layers, out, db: ["briefing", "--plan", "2014", "--layers", str(layers), "--database", db,
                                         "--out", str(out)],
}
WRITERS = ("report-html", "report-xlsx", "briefing")
_LINE = {"type": "LineString", "coordinates": [[111.7, 40.8], [114.9, 40.8]]}


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


#: What a damaged, truncated or hand-edited layer file may hold.
BROKEN_LAYER = st.one_of(
    st.binary(max_size=64),                                               # not text at all
    st.sampled_from([b"", b"{", b'{"type":"FeatureCollection","features":[', b"\xff\xfe{}"]),
    st.just(('{"features":' + _deep(100_000) + "}").encode()),               # RecursionError in json
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8).map(lambda v: json.dumps(v).encode()),  # JSON of the wrong shape
    st.sampled_from([{"features": 5}, {"features": [5]}, {"features": [{"properties": 3}]},
                     {"features": [{"properties": {}, "geometry": {"type": "Point", "coordinates": "x"}}]},
                     {"features": [{"properties": {"id": "x"}, "geometry": {"type": "Nope"}}]},
                     {"features": [{"properties": {"id": "x"}, "geometry": [1, 2]}]}]).map(lambda v: json.dumps(v).encode()),
)


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def write_layers(folder: Path) -> Path:
    """A copy of the committed layers (every property, the 2014 plan) in ``folder``."""
    shutil.copytree(geo_settings.DEFAULT_LAYERS, folder)
    return folder


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().err


def _assert_one_line(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("error: "), err


def _no_partial(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".part"]


@given(command=st.sampled_from(sorted(COMMANDS)), layer=st.sampled_from(["rail.geojson", "provinces.geojson"]),
       content=BROKEN_LAYER)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_malformed_layers_are_one_line(command: str, layer: str, content: bytes, workdir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    case = workdir / "case"
    shutil.rmtree(case, ignore_errors=True)
    layers = write_layers(case / "layers")
    (layers / layer).write_bytes(content)
    out = case / "out.bin"
    code, err = _run(COMMANDS[command](layers, out, f"sqlite:///{case / 'status.sqlite3'}"), capsys)
    if code == 0:  # a broken provinces file some commands do not read, or JSON that is a valid empty layer
        return
    _assert_one_line(code, err)
    assert not out.exists()
    _no_partial(case)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("layers", ["missing", "empty"])
def test_missing_or_empty_layers_are_one_line(command: str, layers: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "layers"
    if layers == "empty":
        folder.mkdir()
    code, err = _run(COMMANDS[command](folder, tmp_path / "out.bin", f"sqlite:///{tmp_path / 's.sqlite3'}"), capsys)
    _assert_one_line(code, err)


@pytest.fixture(scope="module")
def good_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_layers(tmp_path_factory.mktemp("good") / "layers")


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("where", ["folder", "no folder"])
def test_bad_out_is_one_line(command: str, where: str, good_layers: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path if where == "folder" else tmp_path / "no" / "such" / "out.bin"
    code, err = _run(COMMANDS[command](good_layers, out, f"sqlite:///{tmp_path / 's.sqlite3'}"), capsys)
    _assert_one_line(code, err)
    assert not (tmp_path / "no").exists()


@pytest.fixture()
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A tiny tmpfs, read-only or full (root only: chmod does not stop root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    options = "size=64k,ro" if request.param == "read-only" else "size=64k"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to make a {request.param} disk (needs root): {done.stderr.decode().strip()}")
    try:
        if request.param == "full":
            (mount / "previous.html").write_text("the report of last year\n")
            with pytest.raises(OSError), open(mount / "filler", "wb") as filler:
                while True:
                    filler.write(b"\0" * 4096)
                    filler.flush()
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("disk", ["read-only", "full"], indirect=True)
def test_read_only_or_full_disk_is_one_line_and_leaves_no_partial_file(
        command: str, disk: Path, good_layers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in disk.iterdir() if p.name != "filler"}
    out = disk / "previous.html" if before else disk / "out.bin"
    code, err = _run(COMMANDS[command](good_layers, out, f"sqlite:///{tmp_path / 's.sqlite3'}"), capsys)
    _assert_one_line(code, err)
    assert {p.name: p.read_bytes() for p in disk.iterdir() if p.name != "filler"} == before  # the old file intact
    _no_partial(disk)


def test_names_that_look_like_tex_are_printed_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    layers = write_layers(tmp_path / "layers")
    data = json.loads((layers / "rail.geojson").read_text("utf-8"))
    data["features"][0]["properties"]["name_zh"] = r"$\undefinedmacro{x}$ 铁路"
    data["features"][0]["properties"]["lead_agencies"] = [r"$x^2$ 办"]
    (layers / "rail.geojson").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["check", str(layers)]) in (0, 1)
    out = tmp_path / "b.pdf"
    code, err = _run(["briefing", "--plan", "2014", "--layers", str(layers), "--database",
                      f"sqlite:///{tmp_path / 's.sqlite3'}", "--out", str(out)], capsys)
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert r"\undefinedmacro" in text


def test_the_app_refuses_malformed_layers_with_one_line_naming_the_file(tmp_path: Path) -> None:
    layers = write_layers(tmp_path / "layers")
    (layers / "rail.geojson").write_text('{"type":"FeatureCollection","features":[', "utf-8")
    done = subprocess.run([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                           "--server.port", "8597", "--", "--layers", str(layers)],
                          cwd=geo_settings.ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    ours = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(ours) == 1 and "rail.geojson" in ours[0] and "Traceback" not in done.stderr, done.stderr
