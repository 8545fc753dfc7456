"""The printed briefing: an A4 PDF of one plan's selection, rendered offline, its text searchable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from geo import settings
from geo.layers import load_layers

A4_POINTS = (595, 842)


def _briefing(tmp_path: Path, *args: str) -> tuple[PdfReader, str]:
    out = tmp_path / "brief.pdf"
    # An unreachable store: the briefing falls back to the plan's statuses and still renders.
    env = {"GEO_DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "geo", "briefing", *args, "--out", str(out)], cwd=settings.ROOT,
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_a_partner_briefing_fits_one_a4_page_with_map_table_and_date(tmp_path: Path) -> None:
    reader, text = _briefing(tmp_path, "--plan", "2014", "--partner", "山东省")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    assert "内蒙古自治区2014年区域合作重点推进事项及分工方案" in text and "与山东省" in text
    layers = load_layers(settings.DEFAULT_LAYERS)
    with_shandong = layers[layers["partner_provinces"].map(lambda p: "山东省" in list(p))]
    for name in with_shandong["name_zh"]:
        assert name[:12] in text, f"{name} is missing from the briefing"
    assert "前期工作" in text and "内蒙古自治区能源开发局" in text
    assert f"共 {len(with_shandong)} 项" in text
    drawing = reader.pages[0].get_contents().get_data()
    assert drawing.count(b" l\n") > 2000, "the static map (province outlines and the lines) is drawn as vectors"


def test_english_briefing_by_sector(tmp_path: Path) -> None:
    reader, text = _briefing(tmp_path, "--plan", "2014", "--sector", "energy", "--lang", "en")
    assert "Inner Mongolia Autonomous Region 2014 key items of regional cooperation" in text and "Energy" in text
    assert "Xilingol League–Shandong 1000 kV UHV AC transmission line" in text
    assert not any("\u4e00" <= c <= "\u9fff" for c in text), "an English briefing holds no Chinese"


def test_a_long_selection_continues_on_further_pages(tmp_path: Path) -> None:
    reader, text = _briefing(tmp_path)
    layers = load_layers(settings.DEFAULT_LAYERS)
    assert len(reader.pages) == 1 + -(-(len(layers) - 18) // 40)
    assert "续" in reader.pages[1].extract_text()
    assert f"{len(layers)} " in text or f"{len(layers)}\n" in text


def test_an_unknown_plan_year_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "geo", "briefing", "--plan", "1999", "--out", str(tmp_path / "b.pdf")],
                            cwd=settings.ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "1999" in result.stderr and "Traceback" not in result.stderr


def test_the_chinese_font_travels_inside_the_pdf() -> None:
    from geo.layers import load_provinces_layer
    from geo.reports.briefing import briefing_pdf

    layers = load_layers(settings.DEFAULT_LAYERS)
    pdf = briefing_pdf(layers.head(5), load_provinces_layer(settings.DEFAULT_LAYERS), title="简报", selection="全部")
    assert b"/FontFile2" in pdf and b"NotoSansCJK" in pdf, "a printer without Chinese fonts prints it the same"
