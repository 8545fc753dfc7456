"""Briefing: a selection of one plan's projects → an A4 PDF to print for a meeting.

One page per selection: the plan and the selection, the date, a static map of the projects on
the province polygons (drawn here with matplotlib, offline), and the table of projects with
their status and lead agency; a long selection continues on further pages with the table only.
Chinese text is set in Noto Sans CJK from the ``noto-cjk-sans-otc`` package and embedded, so
the PDF reads (and its text extracts) the same everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import geopandas as gpd

from geo import i18n, settings, taxonomy
from geo.filters import as_list
from geo.webmap.style import FALLBACK_COLOR, HOME_PROVINCE, SECTOR_COLORS

_A4_INCHES = (8.27, 11.69)
_ROWS_FIRST_PAGE = 18
_ROWS_PER_PAGE = 40


def briefing_pdf(features: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, *, title: str, selection: str,
                 lang: str = "zh", today: date | None = None, highlight: Sequence[str] = ()) -> bytes:
    """The briefing of ``features`` (one plan's selection, statuses as they stand) as PDF bytes.

    Parameters
    ----------
    title
        The plan's title, printed at the top.
    selection
        What was selected, in words (``与山东省 · 能源``), printed under the title.
    highlight
        Partner provinces to tint on the map.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    _use_cjk_font()
    today = today or date.today()
    rows = _table_rows(features, lang)
    out = io.BytesIO()
    with PdfPages(out, metadata={"Title": f"{title} — {selection}", "CreationDate": None}) as pdf:
        pdf.savefig(_first_page(features, provinces, title, selection, lang, today, highlight, rows[:_ROWS_FIRST_PAGE]))
        rest = rows[_ROWS_FIRST_PAGE:]
        for start in range(0, len(rest), _ROWS_PER_PAGE):
            pdf.savefig(_table_page(title, lang, today, rest[start: start + _ROWS_PER_PAGE],
                                    first=_ROWS_FIRST_PAGE + start + 1))
    return out.getvalue()


# --- pages -------------------------------------------------------------------------------------


def _first_page(features: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, title: str, selection: str, lang: str,
                today: date, highlight: Sequence[str], rows: list[list[str]]) -> Any:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_A4_INCHES)
    fig.text(0.06, 0.965, title, fontsize=13, weight="bold", va="top")
    fig.text(0.06, 0.94, selection, fontsize=10.5, va="top")
    fig.text(0.94, 0.94, i18n.t("brief_date", lang, date=today.isoformat(), n=len(features)), fontsize=9,
             ha="right", va="top", color="#444444")
    ax = fig.add_axes((0.06, 0.50, 0.88, 0.42))
    _draw_map(ax, features, provinces, highlight)
    _draw_legend(ax, sorted(set(features["sector"]), key=settings.SECTORS.index), lang)
    _draw_table(fig, rows, lang, top=0.47, first=1)
    return fig


def _table_page(title: str, lang: str, today: date, rows: list[list[str]], *, first: int) -> Any:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_A4_INCHES)
    fig.text(0.06, 0.965, f"{title} ({i18n.t('brief_continued', lang)})", fontsize=11, va="top")
    fig.text(0.94, 0.965, today.isoformat(), fontsize=9, ha="right", va="top", color="#444444")
    _draw_table(fig, rows, lang, top=0.93, first=first)
    return fig


def _draw_map(ax: Any, features: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, highlight: Sequence[str]) -> None:
    ax.set_axis_off()
    provinces.plot(ax=ax, color="#eeeeee", edgecolor="#ffffff", linewidth=0.6)
    tinted = provinces[provinces["name"].isin(list(highlight))]
    if not tinted.empty:
        tinted.plot(ax=ax, color="#fde9c8", edgecolor="#ffffff", linewidth=0.6)
    home = provinces[provinces["name"] == HOME_PROVINCE]
    home.boundary.plot(ax=ax, color="#555555", linewidth=1.1)
    for sector, group in features.groupby("sector"):
        color = SECTOR_COLORS.get(str(sector), FALLBACK_COLOR)
        lines = group[group.geometry.geom_type.isin(["LineString", "MultiLineString"])]
        points = group[~group.index.isin(lines.index)]
        if not lines.empty:
            lines.plot(ax=ax, color=color, linewidth=1.8)
        if not points.empty:
            points.plot(ax=ax, color=color, markersize=18, edgecolor="#ffffff", linewidth=0.5)
    minx, miny, maxx, maxy = _extent(features, home)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1.25)  # about 1/cos(37°): keeps shapes right at the map's latitudes


def _draw_legend(ax: Any, sectors: list[str], lang: str) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([0], [0], color=SECTOR_COLORS.get(s, FALLBACK_COLOR), linewidth=2, marker="o", markersize=4,
                      label=i18n.sector_label(s, lang)) for s in sectors]
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False, ncol=1)


def _draw_table(fig: Any, rows: list[list[str]], lang: str, *, top: float, first: int) -> None:
    headers = [i18n.t(k, lang) for k in ("brief_no", "col_name", "col_sector", "col_status", "col_lead")]
    xs = (0.06, 0.10, 0.52, 0.62, 0.76, 0.96)
    step = 0.0215
    renderer = fig.canvas.get_renderer()
    for x, text in zip(xs, headers):
        fig.text(x, top, text, fontsize=8.5, weight="bold", va="top")
    for n, row in enumerate(rows):
        y = top - step * (n + 1)
        for x, end, text in zip(xs, xs[1:], [str(first + n), *row]):
            _fitted_text(fig, renderer, x, y, text, width=(end - x - 0.01) * fig.bbox.width)


# --- helpers -------------------------------------------------------------------------------------


def _table_rows(features: gpd.GeoDataFrame, lang: str) -> list[list[str]]:
    name = "name_en" if lang == "en" else "name_zh"
    lead = "lead_agencies_en" if lang == "en" and "lead_agencies_en" in features else "lead_agencies"
    rows = []
    order = {s: n for n, s in enumerate(settings.SECTORS)}
    for row in features.sort_values(["sector", "id"], key=lambda c: c.map(order) if c.name == "sector" else c
                                    ).itertuples(index=False):
        agencies = "、".join(str(a) for a in as_list(getattr(row, lead))) if lang == "zh" else \
            "; ".join(str(a) for a in as_list(getattr(row, lead)))
        rows.append([str(getattr(row, name)), i18n.sector_label(str(row.sector), lang),
                     taxonomy.label(taxonomy.STATUSES, str(row.status), lang), agencies])
    return rows


def _extent(features: gpd.GeoDataFrame, home: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    frames = [f for f in (features, home) if not f.empty]
    bounds = [f.total_bounds for f in frames]
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    pad_x, pad_y = (maxx - minx) * 0.04 + 0.5, (maxy - miny) * 0.04 + 0.5
    return minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y


def _fitted_text(fig: Any, renderer: Any, x: float, y: float, text: str, *, width: float) -> None:
    """``text`` at (x, y), shortened with an ellipsis until it fits ``width`` pixels of its column."""
    shown = fig.text(x, y, text, fontsize=8, va="top")
    cut = len(text)
    while cut > 1 and shown.get_window_extent(renderer).width > width:
        cut -= 1
        shown.set_text(text[:cut].rstrip() + "…")


@lru_cache(maxsize=1)
def _use_cjk_font() -> None:
    from matplotlib import font_manager, rcParams

    try:
        import noto_cjk_sans_otc
    except ImportError as err:  # pragma: no cover - a pinned requirement
        raise ImportError("the briefing needs the noto-cjk-sans-otc package (pip install noto-cjk-sans-otc)") from err
    path = str(noto_cjk_sans_otc.FONT_PATH)
    font_manager.fontManager.addfont(path)
    rcParams["font.family"] = font_manager.FontProperties(fname=path).get_name()
    rcParams["pdf.fonttype"] = 42  # TrueType, so the text can be searched and copied
    # Names and notes are plain text: "$\\undefinedmacro{x}$" in a name is printed, not parsed
    # as mathtext (which raised), and never handed to LaTeX.
    rcParams["text.parse_math"] = False
    rcParams["text.usetex"] = False
