"""The annual progress report each agency owes the Autonomous Region DRC by the end of January.

Takes the status store and the plan's projects (layer feature properties: ``id``, ``name_zh``,
``name_en``, ``lead_agencies``, ``status``) and gives a ``Report``: one section per lead agency,
its projects with their status at the end of the year and that year's changes with notes and
sources. Writers turn it into CSV, XLSX (openpyxl) or a standalone HTML page.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from geo import settings
from geo.csvtext import csv_text
from geo.store import HistoryEntry, Store, list_property
from geo.taxonomy import STATUSES, label

#: Section heading for projects whose clause names no lead agency.
NO_LEAD = "（未注明牵头单位）"
_COLUMNS = (
    "牵头单位 Lead agency", "项目编号 Project id", "项目名称 Project", "Project (English)",
    "年末状态 Status at year end", "生效日期 Effective date", "原状态 Old status", "新状态 New status",
    "进展说明 Note", "来源 Source", "填报人 Editor", "记录时间 Recorded (UTC+8)",
)


@dataclass(frozen=True)
class ReportChange:
    """One change of a project's status that took effect in the report's year."""

    effective_date: date
    old_status: str | None
    new_status: str
    note: str
    source: str
    editor: str
    changed_at: datetime


@dataclass(frozen=True)
class ReportProject:
    """A project's status at the end of the year and the year's changes, oldest first."""

    id: str
    name_zh: str
    name_en: str
    status: str
    changes: tuple[ReportChange, ...]


@dataclass(frozen=True)
class ReportSection:
    """The projects one agency leads."""

    agency: str
    projects: tuple[ReportProject, ...]


@dataclass(frozen=True)
class Report:
    """The progress report of one year, a section per lead agency in the plan's order."""

    year: int
    generated_at: datetime
    sections: tuple[ReportSection, ...]

    @property
    def title(self) -> str:
        """The report's title in Chinese, with the year."""
        return f"{self.year}年区域合作重点事项进展情况报告"


def progress_report(store: Store, projects: Iterable[Mapping[str, Any] | object], year: int) -> Report:
    """Build the progress report of ``year`` from the store's history.

    Parameters
    ----------
    store
        The status store; its whole history is read once.
    projects
        The plan's projects in plan order: mappings or objects with ``id``, ``name_zh``,
        ``name_en``, ``lead_agencies`` and the baseline ``status``.
    year
        The reported year: status as of 31 December, changes effective within the year.

    Returns
    -------
    Report
        One section per lead agency; a project led by two agencies appears in both.
    """
    history: dict[str, list[HistoryEntry]] = {}
    for entry in store.history_all():
        history.setdefault(entry.project_id, []).append(entry)
    sections: dict[str, list[ReportProject]] = {}
    for item in _rows(projects):
        project = _report_project(item, history.get(str(_get(item, "id")), []), year)
        for agency in list(list_property(_get(item, "lead_agencies"))) or [NO_LEAD]:
            sections.setdefault(agency, []).append(project)
    return Report(year, datetime.now(UTC),
                  tuple(ReportSection(agency, tuple(ps)) for agency, ps in sections.items()))


def report_to_csv(report: Report) -> str:
    """The report as CSV text (one row per change, or per project without changes).

    Write it with ``encoding="utf-8-sig"`` so that spreadsheet programs read the Chinese.
    Cells that would start a formula are prefixed with ``'``.
    """
    return csv_text(_COLUMNS, _table(report))


def report_to_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: a title row, then one row per change or project."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{report.year}年进展"
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _table(report):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl stores text starting with "=" as a formula; keep it text.
                cell.data_type = "s"
    sheet.freeze_panes = "C3"
    for column, width in zip("ABCDEFGHIJKL", (24, 28, 30, 30, 16, 12, 14, 14, 50, 30, 12, 18)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_to_html(report: Report) -> str:
    """The report as a standalone HTML page; every text from the store is escaped."""
    e = _escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        # Nothing in a report needs a script or a remote resource.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(report.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(report.title)}</h1>",
        f"<p class=\"meta\">生成时间 Generated {e(_local(report.generated_at))} (UTC+8)</p>",
    ]
    for section in report.sections:
        parts.append(f"<section><h2>{e(section.agency)}</h2>")
        parts.append("<table><thead><tr><th>项目 Project</th><th>年末状态 Status at year end</th>"
                     "<th>本年变化 Changes this year</th></tr></thead><tbody>")
        parts.extend(_html_project(p) for p in section.projects)
        parts.append("</tbody></table></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- building ----------------------------------------------------------------------------


def _report_project(item: Mapping[str, Any] | object, entries: list[HistoryEntry], year: int) -> ReportProject:
    year_end = date(year, 12, 31)
    in_force = [e for e in entries if e.effective_date <= year_end]
    # Editors may record a change late (backdated): the latest effective date wins.
    latest = max(in_force, key=lambda e: (e.effective_date, e.version), default=None)
    status = latest.new_status if latest else str(_get(item, "status") or "")
    changes = sorted((e for e in entries if e.old_status is not None and e.effective_date.year == year),
                     key=lambda e: (e.effective_date, e.version))
    return ReportProject(
        id=str(_get(item, "id")), name_zh=str(_get(item, "name_zh") or ""),
        name_en=str(_get(item, "name_en") or ""), status=status,
        changes=tuple(ReportChange(e.effective_date, e.old_status, e.new_status, e.note, e.source,
                                   e.editor, e.changed_at) for e in changes))


def _rows(projects: Iterable[Mapping[str, Any] | object]) -> Iterable[Mapping[str, Any] | object]:
    # A GeoDataFrame iterates over its column names; take its rows instead.
    to_dict = getattr(projects, "to_dict", None)
    return to_dict("records") if callable(to_dict) else projects


def _get(item: Mapping[str, Any] | object, key: str) -> Any:
    value = item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
    return None if isinstance(value, float) and math.isnan(value) else value  # NaN from a data frame


def _table(report: Report) -> list[list[str]]:
    rows: list[list[str]] = []
    for section in report.sections:
        for p in section.projects:
            head = [section.agency, p.id, p.name_zh, p.name_en, _status(p.status)]
            if not p.changes:
                rows.append(head + [""] * 7)
            for c in p.changes:
                rows.append(head + [c.effective_date.isoformat(), _status(c.old_status), _status(c.new_status),
                                    c.note, c.source, c.editor, _local(c.changed_at)])
    return rows


def _local(when: datetime) -> str:
    """A recorded time as users read it everywhere else: China time (UTC+8)."""
    return when.astimezone(settings.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _status(code: str | None) -> str:
    if not code:
        return ""
    return f"{label(STATUSES, code, 'zh')} ({code})"


# --- writing -----------------------------------------------------------------------------


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_project(p: ReportProject) -> str:
    e = _escape
    changes = "".join(
        f"<li><span class=\"date\">{e(c.effective_date.isoformat())}</span> "
        f"{e(_status(c.old_status))} → <b>{e(_status(c.new_status))}</b>"
        f"<div class=\"note\">{e(c.note)}</div>"
        f"<div class=\"src\">来源 Source: {e(c.source)} · {e(c.editor)}</div></li>"
        for c in p.changes)
    changes_cell = f"<ul>{changes}</ul>" if changes else "<span class=\"none\">无变化 no change</span>"
    return (f"<tr><td>{e(p.name_zh)}<div class=\"en\">{e(p.name_en)}</div><code>{e(p.id)}</code></td>"
            f"<td>{e(_status(p.status))}</td><td>{changes_cell}</td></tr>")


_CSS = (
    "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;width:100%;margin-bottom:2em}"
    "th,td{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}"
    "th{background:#f3f3f3}.en,.src,.meta,.none{color:#666;font-size:.9em}"
    ".note{white-space:pre-wrap}ul{margin:0;padding-left:1.2em}code{font-size:.8em;color:#888}"
)
