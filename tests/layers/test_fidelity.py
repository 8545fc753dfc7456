"""The committed layers as a regional planner reads them: nothing invented, real ends and routes,
lengths and provinces that agree with the drawing and the sources, partners with their reasons,
English names people use, whole-word ids, every concrete item of the plan."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rjieba
from pypinyin import lazy_pinyin
from shapely.geometry import Point

from geo import settings
from geo.layers import check_layers, load_layers, load_provinces_layer
from geo.layers.fidelity import LENGTH_TOLERANCE, check_fidelity, drawn_km
from geo.layers.review import read_review_notes
from geo.layers.schema import GEOD, provinces_crossed
from geo.pipeline.boundaries import load_provinces
from geo.pipeline.hints import read_hints
from geo.pipeline.names import read_glossary, translate

LAYERS = settings.DEFAULT_LAYERS


@pytest.fixture(scope="module")
def layers():  # type: ignore[no-untyped-def]
    return load_layers(LAYERS)


def _one(frame, name: str):  # type: ignore[no-untyped-def]
    rows = frame[frame["name_zh"] == name]
    assert len(rows) == 1, f"{name!r} appears {len(rows)} times"
    return rows.iloc[0]


def _lines(frame):  # type: ignore[no-untyped-def]
    return frame[frame.geometry.geom_type == "LineString"]


def test_committed_layers_pass_every_fidelity_check(layers) -> None:  # type: ignore[no-untyped-def]
    assert check_fidelity(layers, load_provinces_layer(LAYERS)) == []
    assert check_layers(LAYERS) == []


def test_nothing_invented_every_line_runs_through_places_the_plan_or_a_source_names(layers, gazetteer) -> None:  # type: ignore[no-untyped-def]
    for row in layers.itertuples():
        if row.geometry.geom_type != "LineString":
            assert row.placed_on in {"place", "places", "partner_provinces", "home_region"}, row.id
            continue
        assert row.placed_on == "waypoints" and len(row.waypoints) >= 2, row.id
        ends_written = all(any(w in row.name_zh or row.name_zh in w for w in _written_forms(n, gazetteer))
                           for n in (row.waypoints[0], row.waypoints[-1]))
        assert row.route_source or ends_written, f"{row.id}: a line whose ends neither the plan nor a source names"
        if not row.route_source:  # a city a source names on the route may be a municipality (天津市)
            for name in row.waypoints:
                place = gazetteer.get(name)
                assert place.level not in {"province", "region"}, f"{row.id}: drawn to a province's capital ({name})"


def _written_forms(name: str, gazetteer) -> list[str]:  # type: ignore[no-untyped-def]
    from geo.pipeline.gazetteer import short_name

    return [name, short_name(name)]


def test_items_without_a_route_of_their_own_are_not_lines(layers) -> None:  # type: ignore[no-untyped-def]
    for name in ("与甘肃、宁夏共同推进既有铁路增建复线", "我区至山东油气管道"):
        row = _one(layers, name)
        assert row.geometry.geom_type in {"Point", "MultiPoint"} and row["placed_on"] == "partner_provinces"


def test_drawn_length_agrees_with_the_published_one(layers) -> None:  # type: ignore[no-untyped-def]
    for row in _lines(layers).itertuples():
        drawn = drawn_km(row.geometry)
        if row.length_source == "published":
            assert abs(drawn - row.length_km) <= LENGTH_TOLERANCE * row.length_km, (row.id, drawn, row.length_km)
        else:
            assert row.length_source == "drawn" and abs(drawn - row.length_km) < 0.6, row.id
            if row.published_length_km == row.published_length_km and row.published_length_km:  # not NaN
                assert abs(drawn - row.published_length_km) > LENGTH_TOLERANCE * row.published_length_km


def test_the_mengxi_gas_pipeline_is_traced_to_its_published_length_and_provinces(layers) -> None:  # type: ignore[no-untyped-def]
    row = _one(layers, "我区至京津冀油气管道")
    assert row["route"] == "traced" and row["length_km"] == 1279 and row["length_source"] == "published"
    assert row["crossed_provinces"] == ["内蒙古自治区", "山西省", "河北省", "天津市"]


def test_crossed_provinces_are_what_the_published_routes_cross(layers) -> None:  # type: ignore[no-untyped-def]
    hints = read_hints()
    provinces = load_provinces()
    checked = 0
    for row in _lines(layers).itertuples():
        hint = next((h for h in hints.corridors if h.get("match") and h["match"] in row.name_zh), {})
        assert row.crossed_provinces == provinces_crossed(row.geometry, provinces), row.id
        if "crosses" in hint:
            assert row.crossed_provinces == hint["crosses"], row.id
            checked += 1
    assert checked >= 18


def test_the_xilingol_shandong_line_starts_at_duolun_and_keeps_out_of_beijing(layers, gazetteer) -> None:  # type: ignore[no-untyped-def]
    row = _one(layers, "锡林郭勒盟—山东特高压外送电通道")
    start = row.geometry.coords[0]
    duolun = gazetteer.get("多伦")
    assert GEOD.inv(start[0], start[1], duolun.lon, duolun.lat)[2] < 5_000
    assert "北京市" not in row["crossed_provinces"]
    assert row["crossed_provinces"] == ["内蒙古自治区", "河北省", "天津市", "山东省"]


@pytest.mark.parametrize(("name", "neighbour"), [("G7京新高速临河—白疙瘩段", "甘肃省"),
                                                  ("G4513奈营高速大沁他拉—丁家杖子段", "辽宁省")])
def test_border_segments_end_on_the_border_and_link_the_neighbour(layers, name: str, neighbour: str) -> None:  # type: ignore[no-untyped-def]
    row = _one(layers, name)
    provinces = load_provinces().set_index("name").geometry
    end = Point(row.geometry.coords[-1])
    gap_deg = provinces[neighbour].boundary.distance(end)
    assert gap_deg < 0.01, f"{name} ends {gap_deg:.3f}° from the {neighbour} border"
    assert neighbour not in row["crossed_provinces"], "the segment does not run into the neighbour"
    reasons = dict(zip(row["partner_provinces"], row["partner_reason"]))
    assert reasons.get(neighbour) == "border"


@pytest.mark.parametrize(("name", "partners"), [
    ("《环渤海及北京周边九省(区、市)联合开发推广专项旅游产品战略协议》",
     {"北京市", "天津市", "河北省", "辽宁省", "山东省", "山西省", "陕西省", "河南省"}),
    ("《区域旅游合作太原宣言》", {"北京市", "天津市", "河北省", "辽宁省", "山东省", "山西省", "陕西省", "河南省"}),
    ("我区风电外送至华北和华东电网消纳", {"北京市", "天津市", "河北省", "山西省", "山东省", "上海市", "江苏省"}),
])
def test_groups_have_all_their_members(layers, name: str, partners: set[str]) -> None:  # type: ignore[no-untyped-def]
    row = _one(layers, name)
    assert partners <= set(row["partner_provinces"])
    assert len(row["partner_reason"]) == len(row["partner_provinces"])


def test_every_partner_has_a_reason(layers) -> None:  # type: ignore[no-untyped-def]
    for row in layers.itertuples():
        assert len(row.partner_reason) == len(row.partner_provinces), row.id
        assert set(row.partner_reason) <= {"named", "group", "place", "end", "border", "route", "source", "context"}


# --- names and ids ---------------------------------------------------------------------------


def test_english_names_are_names_not_pinyin_or_province_lists(layers, gazetteer) -> None:  # type: ignore[no-untyped-def]
    kinds = "|".join(re.escape(k) for k in ("Railway", "Energy agreement", "Trade fair", "Tourism circle",
                                            "Cooperation item", "Science partnership", "Road network plan"))
    for row in layers.itertuples():
        assert not re.search(r"[\u3400-\u9fff]", row.name_en), row.id
        assert not re.fullmatch(rf"(?:{kinds}) with [A-Z][a-z]+(?:, [A-Z][a-z]+)*", row.name_en), row.name_en
        assert "Inner Mongolia (" not in row.name_en, row.name_en
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", row.name_en)}
        for piece in _non_place_words(row.name_zh, gazetteer):
            romanised = "".join(lazy_pinyin(piece)).lower()
            assert romanised not in words, f"{row.id}: {row.name_en!r} holds the pinyin of {piece!r}"


def _non_place_words(name: str, gazetteer) -> list[str]:  # type: ignore[no-untyped-def]
    return [w for w in rjieba.cut(name.strip("《》“”")) if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w)
            and gazetteer.find(w) is None]


def test_ids_are_whole_words_from_english_names(layers, gazetteer) -> None:  # type: ignore[no-untyped-def]
    for row in layers.itertuples():
        sector, _, rest = row.id.partition("-")
        assert sector == row.sector
        written = translate(row.name_zh, gazetteer, read_glossary()).text  # the plan's own ends, in English
        english = " ".join([row.name_en, written, *(gazetteer.get(w).name_en for w in row.waypoints)])
        known = {w.lower() for w in re.findall(r"[A-Za-z0-9]+", _fold(english))} | {row.sector}
        words = [w for w in rest.split("-") if not w.isdigit()]
        assert set(words) <= known, f"{row.id}: {sorted(set(words) - known)} are not whole words of its names"
    for old in ("logistics-huanbo-haishuai-guayun-shulian-meng", "industry-eer-duosi-jiangsu-gongye-yuan"):
        assert old not in set(layers["id"])


def _fold(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", re.sub(r"[–—·/]", " ", text)).encode("ascii", "ignore").decode("ascii")


def test_every_renamed_id_has_an_alias_to_keep_its_history(layers) -> None:  # type: ignore[no-untyped-def]
    with open(settings.DATA_DIR / "id_aliases.csv", encoding="utf-8", newline="") as fh:
        aliases = {r["old_id"]: r["new_id"] for r in csv.DictReader(fh)}
    ids = set(layers["id"])
    assert set(aliases.values()) <= ids, "every alias points at a feature of the committed layers"
    assert not set(aliases) & ids, "an old id is never reused by another feature"
    assert aliases["logistics-huanbo-haishuai-guayun-shulian-meng"] == "logistics-bohai-rim-drop-hook-transport-alliance"


# --- every concrete item ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [
    ("两个煤电基地", "coal_power_base"), ("两大新型煤化工基地", "coal_chemical_base"),
    ("甩挂运输试点项目", "pilot_project"), ("科研信息共享平台", "platform"),
    ("检验检测公共技术服务平台", "platform"), ("第二届粤蒙科技活动周", "event"),
    ("环渤海甩挂运输联盟", "alliance"), ("《内蒙古自治区交通物流发展规划》", "plan_document"),
    ("《京蒙科技合作框架协议》", "agreement"), ("与江苏省签订共建省际合作示范园区协议", "agreement"),
])
def test_every_concrete_item_is_a_feature_of_its_own_kind(layers, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert _one(layers, name)["kind"] == kind


def test_duplicates_are_merged(layers) -> None:  # type: ignore[no-untyped-def]
    assert "京蒙科技合作" not in set(layers["name_zh"])
    assert layers["name_zh"].is_unique


# --- the check and the review, for any folder ----------------------------------------------


def test_check_enforces_fidelity_on_any_folder(tmp_path: Path) -> None:
    shutil.copytree(LAYERS, tmp_path / "layers")
    energy = tmp_path / "layers" / "energy.geojson"
    data = json.loads(energy.read_text(encoding="utf-8"))
    by_name = {f["properties"]["name_zh"]: f for f in data["features"]}
    by_name["我区至京津冀油气管道"]["properties"]["length_km"] = 3000
    by_name["锡林郭勒盟—山东特高压外送电通道"]["properties"]["crossed_provinces"] = ["内蒙古自治区", "山东省"]
    shandong = by_name["我区至山东油气管道"]
    shandong["geometry"] = {"type": "LineString", "coordinates": [[111.75, 40.84], [117.0, 36.65]]}
    energy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "geo", "check", str(tmp_path / "layers")], capture_output=True,
                            text=True, cwd=settings.ROOT, timeout=300)
    assert result.returncode == 1
    out = result.stdout
    assert "differs from the published 3000 km" in out
    assert "crossed_provinces ['内蒙古自治区', '山东省'] but the drawn line crosses" in out
    assert "energy-inner-mongolia-shandong: a line placed on 'partner_provinces'" in out


def test_review_prints_one_row_per_feature(layers) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([sys.executable, "-m", "geo", "review", str(LAYERS), "--format", "csv"],
                            capture_output=True, text=True, cwd=settings.ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["id"] for r in rows] == list(layers["id"])
    pipeline = next(r for r in rows if r["name_zh"] == "我区至京津冀油气管道")
    assert pipeline["crossed"] == "内蒙古自治区 → 山西省 → 河北省 → 天津市" and pipeline["length_km"] == "1279"
    assert pipeline["ends"] == "杭锦旗 → 黄骅市" and "yznf168.com" in pipeline["sources"]
    park = next(r for r in rows if r["name_zh"] == "鄂尔多斯江苏工业园")
    assert park["status"] == "construction" and park["status_phrase"].startswith("跟踪落实 ← ")
    markdown = subprocess.run([sys.executable, "-m", "geo", "review"], capture_output=True, text=True,
                              cwd=settings.ROOT, timeout=300).stdout
    assert markdown.startswith("| id | name_zh | name_en |") and markdown.count("\n") == len(rows) + 2


# Findings of an outside review against published sources, one line each.
@pytest.mark.parametrize(("project_id", "place", "within_km"), [
    ("rail-baiyinhua-jinzhou", "锦州港站", 2),  # the Jinzhou–Chifeng line starts at the port station
])
def test_lines_end_at_their_published_terminus(layers, gazetteer, project_id: str, place: str,  # type: ignore[no-untyped-def]
                                                within_km: float) -> None:
    row = layers[layers["id"] == project_id].iloc[0]
    end, where = row.geometry.coords[-1], gazetteer.get(place)
    assert GEOD.inv(end[0], end[1], where.lon, where.lat)[2] <= within_km * 1000
    assert row["waypoints"][-1] == place


@pytest.mark.parametrize(("project_id", "status", "words"), [
    ("rail-tongliao-beijing-shenyang", "preparing", "前期工作"),  # government, 2014; works began in 2016
    ("rail-chifeng-beijing-shenyang", "preparing", "前期工作"),
])
def test_statuses_a_dated_source_gives(layers, project_id: str, status: str, words: str) -> None:  # type: ignore[no-untyped-def]
    row = layers[layers["id"] == project_id].iloc[0]
    assert row["status"] == status
    assert row["status_source"].startswith(words) and "http" in row["status_source"]


@pytest.mark.parametrize(("project_id", "published_km", "partners", "answer"), [
    ("road-daqintala-dingjiazhangzi", 57.3, None, "no end on the border"),
    ("rail-duolun-fengning", 145, None, "塔黄旗站"),
    ("logistics-bohai-rim-drop-hook-transport-alliance", None, 5, "7 provinces"),
])
def test_review_notes_say_why_the_layer_differs_from_a_source(layers, project_id: str, published_km: float | None,  # type: ignore[no-untyped-def]
                                                              partners: int | None, answer: str) -> None:
    row = layers[layers["id"] == project_id].iloc[0]
    if published_km is not None:
        assert row["published_length_km"] == published_km and row["length_source"] == "drawn"
    if partners is not None:
        assert len(row["partner_provinces"]) == partners
    note = read_review_notes().get(project_id, "")
    assert answer in note and "http" in note


def test_every_review_note_is_about_a_feature(layers) -> None:  # type: ignore[no-untyped-def]
    assert set(read_review_notes()) <= set(layers["id"])
