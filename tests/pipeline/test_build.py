"""Golden test on the 2014 plan, the other-year plan, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import DATA
from pyproj import Geod

from geo import settings
from geo.errors import PlaceNotFound
from geo.layers import check_layers, load_layers
from geo.pipeline.build import build_layers

GEOD = Geod(ellps="WGS84")
RAIL = (["内蒙古自治区铁路建设重点项目办公室"], ["呼和浩特铁路局"])
ROAD = (["内蒙古自治区交通运输厅"], ["内蒙古自治区发展和改革委员会"])
ENERGY = (["内蒙古自治区能源开发局"], [])

# name as the plan writes it, sector, kind, agencies, partners that must be listed, first and last place
# (None where the plan leaves the end vague and a cited real-world end is used instead).
CORRIDORS = [
    ("呼和浩特—张家口客运专线", "rail", "railway", RAIL, ["河北省"], "呼和浩特", "张家口"),
    ("通辽至京沈客运专线", "rail", "railway", RAIL, ["辽宁省"], "通辽", None),
    ("赤峰至京沈客运专线", "rail", "railway", RAIL, ["辽宁省"], "赤峰", None),
    ("蒙西至华中铁路", "rail", "railway", RAIL, ["湖北省"], None, None),
    ("多伦至丰宁复线", "rail", "railway", RAIL, ["河北省"], "多伦", "丰宁"),
    # The cited route ends at 沙岭子 (Xuanhua), in Zhangjiakou prefecture but 25.05 km from its seat.
    ("正蓝旗至张家口铁路", "rail", "railway", RAIL, ["河北省"], "正蓝旗", None),
    ("滨洲线电气化改造", "rail", "railway", RAIL, ["黑龙江省"], "哈尔滨", "满洲里"),
    ("额济纳至哈密铁路", "rail", "railway", RAIL, ["新疆维吾尔自治区"], "额济纳", "哈密"),
    # The Jinzhou–Chifeng line starts at the port station (锦州西港口站), 36 km south of the city seat.
    ("白音华至锦州复线", "rail", "railway", RAIL, ["辽宁省"], "白音华", "锦州港站"),
    ("G7京新高速临河—白疙瘩段", "road", "expressway", ROAD, ["甘肃省"], "临河", None),
    ("G4513奈营高速大沁他拉—丁家杖子段", "road", "expressway", ROAD, ["辽宁省"], "大沁他拉", None),
    ("长深高速公路新民—鲁北联络线通辽—鲁北段", "road", "expressway", ROAD, [], "通辽", "鲁北"),
    ("丹锡高速公路大板—经棚段", "road", "expressway", ROAD, [], "大板", "经棚"),
    ("二广高速公路集宁—阿荣旗联络线扎兰屯—阿荣旗段", "road", "expressway", ROAD, [], "扎兰屯", "阿荣旗"),
    ("蒙西—天津南特高压外送电通道", "energy", "power_line", ENERGY, ["天津市"], None, "天津南"),
    ("锡林郭勒盟—山东特高压外送电通道", "energy", "power_line", ENERGY, ["山东省"], "多伦", None),
    ("锡林郭勒盟—江苏特高压外送电通道", "energy", "power_line", ENERGY, ["江苏省"], None, None),
    ("上海庙能源化工基地电力外送通道", "energy", "power_line", ENERGY, ["山东省"], "上海庙", None),
    ("我区至京津冀油气管道", "energy", "pipeline", ENERGY, ["北京市", "天津市", "河北省"], "杭锦旗", "黄骅市"),
]

POINTS = [
    ("鄂尔多斯江苏工业园", "industry", ["江苏省"]), ("呼和浩特浙商产业园", "industry", ["浙江省"]),
    ("乌兰浩特浙商产业园", "industry", ["浙江省"]), ("呼和浩特北京工业园", "industry", ["北京市"]),
    ("我区东部承接产业转移示范区", "industry", []), ("天津市无水港", "logistics", ["天津市"]),
    ("北京·内蒙古商品大集", "logistics", ["北京市"]), ("内蒙古特色产品销售专区", "logistics", ["北京市", "天津市"]),
    ("北京·内蒙古绿色农畜产品市场", "logistics", ["北京市"]), ("上海交通大学", "education", ["上海市"]),
    ("北京师范大学", "education", ["北京市"]), ("武汉大学", "education", ["湖北省"]),
    ("中国矿业大学", "education", ["江苏省"]), ("《京蒙科技合作框架协议》", "science", ["北京市"]),
    ("与东三省的科技合作", "science", ["辽宁省", "吉林省", "黑龙江省"]), ("与广东省的科技合作", "science", ["广东省"]),
    ("大东北旅游圈", "tourism", ["辽宁省", "吉林省", "黑龙江省"]), ("京津环渤海旅游圈", "tourism", ["北京市", "天津市"]),
    ("西北丝绸之路旅游带", "tourism", ["陕西省", "甘肃省"]),
    ("《区域旅游合作太原宣言》", "tourism", ["北京市", "天津市", "河北省", "辽宁省", "山东省", "山西省", "陕西省", "河南省"]),
    # the 2013–2030 road plan is the reference (按照《…》); the item is the planning coordination
    ("与8个毗邻省区规划地对接", "road", ["河北省", "甘肃省"]), ("航空公司增加运力投放", "aviation", []),
    # items the plan names without a route of their own: shown on their provinces, never drawn as lines
    ("与甘肃、宁夏共同推进既有铁路增建复线", "rail", ["甘肃省", "宁夏回族自治区"]),
    ("我区至山东油气管道", "energy", ["山东省"]),
]


def _feature(frame, name: str):  # type: ignore[no-untyped-def]
    rows = frame[frame["name_zh"] == name]
    assert len(rows) == 1, f"{name!r} appears {len(rows)} times; names: {sorted(frame['name_zh'])}"
    return rows.iloc[0]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


@pytest.mark.parametrize(("name", "sector", "kind", "agencies", "partners", "start", "end"), CORRIDORS,
                         ids=[c[0] for c in CORRIDORS])
def test_every_corridor_of_the_plan(built_2014, gazetteer, name, sector, kind, agencies, partners, start, end) -> None:  # type: ignore[no-untyped-def]
    row = _feature(built_2014.features, name)
    assert (row["sector"], row["kind"]) == (sector, kind)
    assert (row["lead_agencies"], row["cooperating_agencies"]) == agencies
    assert set(partners) <= set(row["partner_provinces"])
    assert row.geometry.geom_type == "LineString"
    assert row["length_km"] > 10 and row["route"] in {"traced", "estimated", "schematic"}
    coords = list(row.geometry.coords)
    for place, coord in ((start, coords[0]), (end, coords[-1])):
        if place:
            where = gazetteer.get(place)
            assert _km((where.lon, where.lat), coord) <= 25, f"{name}: end {coord} is far from {place}"
    assert row["crossed_provinces"], f"{name} crosses no province"
    if start:
        assert row["crossed_provinces"][0] == gazetteer.get(start).province


@pytest.mark.parametrize(("name", "sector", "partners"), POINTS, ids=[p[0] for p in POINTS])
def test_every_named_item_of_the_plan(built_2014, name, sector, partners) -> None:  # type: ignore[no-untyped-def]
    row = _feature(built_2014.features, name)
    assert row["sector"] == sector
    assert set(partners) <= set(row["partner_provinces"])
    assert row.geometry is not None and not row.geometry.is_empty
    assert row.geometry.geom_type in {"Point", "MultiPoint"} and row["placed_on"] != "waypoints"


def test_initial_status_is_read_from_the_plans_words(built_2014) -> None:  # type: ignore[no-untyped-def]
    frame = built_2014.features
    expected = {
        "呼和浩特—张家口客运专线": ("construction", "建成并投入运行"),
        "多伦至丰宁复线": ("construction_planned", "开工建设"),
        "G7京新高速临河—白疙瘩段": ("approval", "批复"),
        "锡林郭勒盟—山东特高压外送电通道": ("preparing", "前期工作"),
        "《京蒙科技合作框架协议》": ("negotiating", "推动签署"),
        "鄂尔多斯江苏工业园": ("construction", "跟踪落实"),
        "与广东省的科技合作": ("ongoing", "加强"),
        "第二届粤蒙科技活动周": ("preparing", "筹备"),
    }
    for name, status in expected.items():
        row = _feature(frame, name)
        assert (row["status"], row["status_source"]) == status


def test_build_report_and_ids(built_2014) -> None:  # type: ignore[no-untyped-def]
    frame = built_2014.features
    assert frame["id"].is_unique
    assert "rail-hohhot-zhangjiakou" in set(frame["id"])
    assert built_2014.unresolved == [] and built_2014.damage == []
    summary = built_2014.summary()
    assert "11 clauses" in summary and "unresolved names: 0" in summary and "unrepaired characters: 0" in summary
    assert built_2014.untranslated == [] and built_2014.unknown_kinds == []


def test_committed_layers_are_what_the_pipeline_builds(tmp_path: Path, built_2014) -> None:  # type: ignore[no-untyped-def]
    report = build_layers(out_dir=tmp_path)
    assert check_layers(tmp_path) == []
    for sector in settings.SECTORS:
        fresh = json.loads((tmp_path / f"{sector}.geojson").read_text(encoding="utf-8"))
        committed = json.loads((settings.DEFAULT_LAYERS / f"{sector}.geojson").read_text(encoding="utf-8"))
        assert fresh == committed, f"data/geojson/{sector}.geojson is stale: run `python -m geo build`"
    assert len(load_layers(tmp_path)) == len(report.features)


def test_plan_of_another_year_goes_through_unchanged_code(tmp_path: Path, gazetteer) -> None:  # type: ignore[no-untyped-def]
    plan = DATA / "plan-2015-sample.gb18030.txt"
    report = build_layers(plan, tmp_path, strict=True)
    assert report.plan.year == 2015 and report.plan.encoding == "gb18030" and len(report.plan.clauses) == 4
    frame = load_layers(tmp_path)
    lines = frame[frame.geometry.geom_type == "LineString"].set_index("name_zh")
    assert {"包头—银川客运专线", "乌兰察布至大同铁路", "G6京藏高速呼和浩特—包头段", "鄂尔多斯—石家庄特高压外送电通道"} <= set(lines.index)
    assert "宁夏回族自治区" in lines.loc["包头—银川客运专线", "partner_provinces"]
    end = list(lines.loc["乌兰察布至大同铁路"].geometry.coords)[-1]
    datong = gazetteer.get("大同")
    assert _km((datong.lon, datong.lat), end) <= 25
    assert check_layers(tmp_path) == []


def test_unknown_place_is_reported_and_fatal_when_strict(tmp_path: Path) -> None:
    text = ("《内蒙古自治区2016年区域合作重点推进事项及分工方案》\n一、基础设施合作\n"
            "(一)铁路。推进呼和浩特—乌拉拉斯坦客运专线建设。(自治区铁路办负责)\n")
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="utf-8")
    report = build_layers(plan, tmp_path / "out")
    assert [u.name for u in report.unresolved] == ["乌拉拉斯坦"]
    assert "乌拉拉斯坦" in report.summary()
    with pytest.raises(PlaceNotFound, match="乌拉拉斯坦"):
        build_layers(plan, tmp_path / "strict", strict=True)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=settings.ROOT,
                          timeout=300)


def test_cli_build_and_check(tmp_path: Path) -> None:
    built = _cli("build", "--out", str(tmp_path))
    assert built.returncode == 0, built.stderr
    assert "11 clauses" in built.stdout and "precision:" in built.stdout
    assert _cli("check", str(tmp_path)).returncode == 0


def test_cli_check_lists_every_problem(tmp_path: Path) -> None:
    build_layers(out_dir=tmp_path)
    rail = tmp_path / "rail.geojson"
    data = json.loads(rail.read_text(encoding="utf-8"))
    data["features"][1]["properties"]["id"] = data["features"][0]["properties"]["id"]
    data["features"][2]["geometry"] = {"type": "LineString", "coordinates": []}
    del data["features"][3]["properties"]["status"]
    data["crs"] = {"type": "name"}
    rail.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    checked = _cli("check", str(tmp_path))
    assert checked.returncode == 1
    out = checked.stdout
    assert "repeats" in out and "empty geometry" in out and "'status' missing" in out and "'crs'" in out


def test_cli_reports_a_bad_plan_cleanly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _cli("build", "--plan", str(empty), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "empty.txt" in result.stderr and "Traceback" not in result.stderr


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder no layer set can be written beside: read-only for a user, a kernel folder for root."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder / "layers"
    for kernel in (Path("/sys"), Path("/proc")):
        try:
            (kernel / "geo-write-test").mkdir()
        except OSError:
            return kernel / "geo-layers"
        (kernel / "geo-write-test").rmdir()  # pragma: no cover - a writable /sys
    pytest.skip("running as root with no folder that refuses writes")


@pytest.mark.parametrize("case", ["file", "under-file", "unwritable", "holds-folders"])
def test_cli_build_refuses_a_bad_out_before_running_the_pipeline(tmp_path: Path, case: str) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "project" / "src").mkdir(parents=True)
    out = {"file": tmp_path / "a-file", "under-file": tmp_path / "a-file" / "layers",
           "unwritable": _unwritable_folder(tmp_path), "holds-folders": tmp_path / "project"}[case]
    # The plan is missing too: the error about --out shows that the pipeline never started.
    result = _cli("build", "--plan", str(tmp_path / "missing-plan.txt"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "--out" in result.stderr and "missing-plan" not in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "x" and (tmp_path / "project" / "src").is_dir()
