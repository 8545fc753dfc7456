"""The selection as files: the same columns in GeoJSON, CSV and GeoPackage, labels beside codes,
a GeoPackage layer per kind of geometry, and names that say what the file holds."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from fixtures import XSS, synthetic_gdf

from geo import filters, i18n
from geo.filters import Filters
from geo.reports import exports


@pytest.fixture(scope="module")
def selection():
    changed = {"energy-pipeline-shandong": {"status": "construction", "effective": "2014-10-30",
                                            "changed_at": "2014-11-02 10:00", "editor": "李明", "note": XSS}}
    return filters.with_current_status(synthetic_gdf(), changed)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_all_three_formats_hold_the_same_columns_read_back_by_pyogrio(selection, tmp_path):
    geojson = _write(tmp_path, "s.geojson", exports.selection_to_geojson(selection, "en"))
    csv = _write(tmp_path, "s.csv", exports.selection_to_csv(selection, "en"))
    gpkg = _write(tmp_path, "s.gpkg", exports.selection_to_gpkg(selection, "en"))
    expected = list(exports.COLUMNS)
    assert list(pyogrio.read_dataframe(geojson).columns.drop("geometry")) == expected
    assert list(pyogrio.read_dataframe(csv, read_geometry=False).columns) == [*expected, "geometry_wkt"]
    layers = [str(name) for name, _ in pyogrio.list_layers(gpkg)]
    for layer in layers:
        frame = pyogrio.read_dataframe(gpkg, layer=layer)
        assert [c for c in frame.columns if c != "geometry"] == expected, layer
    ids = {pid for layer in layers for pid in pyogrio.read_dataframe(gpkg, layer=layer)["id"]}
    assert ids == set(selection["id"])  # every project, the placeless one in its own table


def test_geopackage_has_one_layer_and_one_geometry_type_per_kind(selection, tmp_path):
    gpkg = _write(tmp_path, "s.gpkg", exports.selection_to_gpkg(selection))
    kinds = dict((str(name), kind) for name, kind in pyogrio.list_layers(gpkg))
    assert kinds["lines"] == "MultiLineString" and kinds["points"] == "MultiPoint"
    assert kinds["polygons"] == "MultiPolygon"  # the synthetic tourism circle
    assert kinds[exports.UNPLACED] is None  # the item with no place: a table, not an Unknown geometry
    lines = pyogrio.read_dataframe(gpkg, layer="lines")
    assert set(lines["id"]) == {pid for pid, g in zip(selection["id"], selection.geometry, strict=True)
                                if g is not None and g.geom_type.endswith("LineString")}
    assert pyogrio.read_info(gpkg, layer="lines")["crs"] == "EPSG:4326"


def test_labels_beside_codes_and_the_recorded_status_with_its_effective_date(selection):
    table = pd.read_csv(io.BytesIO(exports.selection_to_csv(selection, "zh")), encoding="utf-8-sig")
    row = table.set_index("id").loc["energy-pipeline-shandong"]
    assert (row["status"], row["status_label"], row["sector"], row["sector_label"]) == ("construction", "在建",
                                                                                     "energy", "能源")
    assert (row["status_effective"], row["status_editor"], row["status_recorded_at"]) == (
        "2014-10-30", "李明", "2014-11-02 10:00")
    assert row["status_note"] == XSS  # as typed: a file, not a page
    plan = table.set_index("id").loc["rail-ejina-hami"]
    assert pd.isna(plan["status_effective"]) and plan["status_label"] == i18n.status_label("construction_planned")
    zone = table.set_index("id").loc["industry-east-transfer-zone"]
    assert zone["partner_provinces"] == "辽宁省; 北京市"  # lists joined the same way in CSV and GeoPackage
    english = json.loads(exports.selection_to_geojson(selection, "en"))
    props = {f["properties"]["id"]: f["properties"] for f in english["features"]}
    assert props["industry-east-transfer-zone"]["partner_provinces"] == ["辽宁省", "北京市"]
    assert props["energy-pipeline-shandong"]["status_label"] == "Under construction"


def test_csv_starts_with_a_byte_order_mark_for_excel(selection):
    assert exports.selection_to_csv(selection).startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(("view", "stem"), [
    (Filters(), "nmg-2014-all-20261201"),
    (Filters(partners=("山东省",), sectors=("energy",)), "nmg-2014-shandong-energy-20261201"),
    (Filters(partners=("山东省", "天津市"), mode="crossed"), "nmg-2014-shandong-tianjin-crossed-20261201"),
    (Filters(statuses=("preparing",), agencies=("自治区铁路办",)), "nmg-2014-preparing-agency-20261201"),
    (Filters(q="特高压"), "nmg-2014-te-gao-ya-20261201"),
])
def test_file_names_say_the_selection_and_the_day(view, stem):
    english = {"山东省": "Shandong", "天津市": "Tianjin"}
    assert exports.file_stem(view, plan_year=2014, today=date(2026, 12, 1), province_en=english) == stem
