"""``python -m geo user add`` and ``python -m geo report``, as an administrator runs them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from geo import i18n, settings
from geo.cli import main
from geo.cli.store import projects_from_layers, read_password
from geo.errors import AuthError
from geo.store import StatusChange, User, open_store
from geo.store.auth import authenticate

PASSWORD = "锡林郭勒-UHV-2014"
XSS = "<img src=x onerror=alert(1)>"


def run_geo(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m geo ARGS`` in a fresh interpreter, as a shell would run it."""
    return subprocess.run([sys.executable, "-m", "geo", *args], input=stdin, text=True, capture_output=True, check=False,
                          cwd=settings.ROOT, timeout=120)


def test_user_add_reads_the_password_from_stdin_and_stores_only_a_hash(store_url: str) -> None:
    done = run_geo("user", "add", "wang", "--agency", "自治区交通运输厅", "--database", store_url,
                   stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "wang" in done.stdout and PASSWORD not in done.stdout + done.stderr
    with open_store(store_url) as store:
        _, stored = store.user_credentials("wang")  # type: ignore[misc]
        assert stored != PASSWORD and PASSWORD not in stored
        # The alias typed is stored as data/agencies.csv names the agency, as the layers spell it.
        assert authenticate(store, "wang", PASSWORD) == User("wang", "内蒙古自治区交通运输厅")


@pytest.mark.parametrize(("stdin", "message"), [("", "empty password"), ("\n", "empty password"),
                                                ("short\n", "at least 8")])
def test_user_add_refuses_an_empty_or_short_password(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], stdin: str,
                                                     message: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["user", "add", "wang", "--database", sqlite_url]) == 2
    assert message in capsys.readouterr().err
    with open_store(sqlite_url) as store:
        assert store.user_credentials("wang") is None


def test_user_add_refuses_an_agency_no_project_names(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(sqlite_url) as store:
        store.seed([{"id": "rail-x", "status": "preparing", "lead_agencies": ["自治区铁路办"]}])
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "wang", "--agency", "自治区铁路局", "--database", sqlite_url]) == 2
    assert "自治区铁路办" in capsys.readouterr().err


def test_user_add_checks_data_agencies_csv_before_the_store_is_seeded(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "wang", "--agency", "自治区不存在厅", "--database", sqlite_url]) == 2
    assert "自治区不存在厅" in capsys.readouterr().err
    with open_store(sqlite_url) as store:
        assert store.user_credentials("wang") is None


def test_user_add_refuses_a_name_with_a_zero_width_character(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "wa\u200bng", "--database", sqlite_url]) == 2
    assert "zero-width" in capsys.readouterr().err


def test_user_add_refuses_names_that_look_like_existing_ones(
        store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def add(name: str) -> int:
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        return main(["user", "add", name, "--database", store_url])

    assert add("alice") == 0 and add("admin") == 0
    capsys.readouterr()
    # Cyrillic і, Cyrillic а, another case, a digit one for an l, a full-width copy of another case.
    for lookalike in ("al\u0456ce", "\u0430dmin", "Alice", "a1ice", "ＡＤＭＩＮ"):
        assert add(lookalike) == 2, lookalike
        err = capsys.readouterr().err
        assert "looks like the existing user" in err and err.count("\n") == 1, err
    assert add("alicia") == 0 and add("王明") == 0  # names that only share letters are fine
    with open_store(store_url) as store:
        assert store.user_credentials("al\u0456ce") is None and store.user_credentials("\u0430dmin") is None
    error = AuthError("x", code="user_name_confusable", name="\u0430dmin", existing="admin")
    assert "admin" in i18n.error_text(error, "zh") and "looks like" in i18n.error_text(error, "en")


@pytest.mark.parametrize(("typed", "password"), [
    ("secret words\n", "secret words"), ("crlf-line\r\n", "crlf-line"), ("first\nsecond\n", "first"),
    ("  spaces kept  \n", "  spaces kept  "), ("no newline", "no newline"),
])
def test_password_is_the_first_line_of_stdin(typed: str, password: str) -> None:
    assert read_password(io.StringIO(typed)) == password


def test_empty_stdin_is_refused() -> None:
    with pytest.raises(AuthError, match="empty password"):
        read_password(io.StringIO(""))


@pytest.fixture()
def layers(tmp_path: Path) -> Path:
    """A layer folder with two projects, as the pipeline writes it."""
    folder = tmp_path / "layers"
    folder.mkdir()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [111.7, 40.8]},
         "properties": {"id": "rail-x", "name_zh": "呼张客专", "name_en": "Hohhot–Zhangjiakou", "sector": "rail",
                        "lead_agencies": ["自治区铁路办"], "cooperating_agencies": ["呼铁局"],
                        "status": "construction", "status_source": "力争早日建成"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [111.8, 40.9]},
         "properties": {"id": "rail-y", "name_zh": "多伦至丰宁复线", "name_en": "Duolun–Fengning", "sector": "rail",
                        "lead_agencies": ["自治区铁路办"], "cooperating_agencies": [],
                        "status": "construction_planned", "status_source": "按计划开工建设"}},
    ]
    (folder / "rail.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                                         encoding="utf-8")
    return folder


def test_report_writes_every_format(sqlite_url: str, layers: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(sqlite_url) as store:
        store.seed([{"id": "rail-x", "status": "construction", "lead_agencies": ["自治区铁路办"]}])
        store.insert_user("admin", "hash", agency=None)
        store.change_status(StatusChange("rail-x", "operating", "2014-12-30", XSS, "通知"),  # type: ignore[arg-type]
                            editor=User("admin"), expected_version=1)
    common = ["report", "--year", "2014", "--layers", str(layers), "--database", sqlite_url]
    for fmt in ("csv", "xlsx", "html"):
        assert main([*common, "--format", fmt, "--out", str(tmp_path / f"r.{fmt}")]) == 0
    assert "呼张客专" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert load_workbook(tmp_path / "r.xlsx").active["A1"].value.startswith("2014年")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and XSS not in page
    assert "wrote" in capsys.readouterr().err


def test_report_of_the_committed_layers_goes_to_stdout(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--year", "2014", "--format", "csv", "--database", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("牵头单位") and len(out.splitlines()) > 10


def test_unreachable_database_is_one_clear_line_not_a_traceback(layers: Path) -> None:
    done = run_geo("report", "--year", "2014", "--layers", str(layers),
                   "--database", "postgresql+psycopg://editor:secret@127.0.0.1:1/status")
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot reach the status database")
    assert "Traceback" not in done.stderr and "secret" not in done.stderr


def test_missing_layers_are_reported(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--year", "2014", "--layers", str(tmp_path / "none"), "--database", sqlite_url]) == 2
    assert "no layer folder" in capsys.readouterr().err


def test_the_committed_layers_seed_the_store_once(sqlite_url: str) -> None:
    projects = projects_from_layers(settings.DEFAULT_LAYERS)
    with open_store(sqlite_url) as store:
        assert store.seed(projects) == len(projects)
        assert store.seed(projects) == 0
        current = store.current_all()
        assert {p["id"]: p["status"] for p in projects} == {pid: r.status for pid, r in current.items()}
        first = projects[0]
        assert store.agencies(first["id"]) == (tuple(sorted(first["lead_agencies"])),
                                               tuple(sorted(first["cooperating_agencies"])))
