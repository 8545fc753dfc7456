"""Interface strings in Chinese (default) and English, for the app, the map popups and the legend.

Labels of sectors, kinds and statuses come from ``geo.taxonomy`` (one vocabulary, two
languages); agency names come with the features (``lead_agencies_en`` …) and province names
with ``provinces.geojson`` (``name_en``). Everything else a user reads is here.
"""

from __future__ import annotations

from datetime import date, datetime

from geo import settings, taxonomy
from geo.errors import GeoError, Problem
from geo.i18n.errors import ERROR_TEXTS, PROBLEM_TEXTS
from geo.i18n.report import REPORT_TEXTS

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "page_title": "内蒙古区域合作重点事项地图",
        "title": "内蒙古自治区{year}年区域合作重点推进事项",
        "language": "语言 / Language",
        "filters": "筛选",
        "choose": "全部(可多选)",
        "partner": "合作省区",
        "partner_help": "可多选;链接参数 partner 使用省区全称",
        "mode": "省区筛选方式",
        "mode_partner": "规划中列为合作方",
        "mode_crossed": "线路途经",
        "sector": "行业",
        "status": "进展状态",
        "agency": "牵头单位",
        "q": "搜索项目名称",
        "q_placeholder": "如:特高压、呼和浩特、Shandong",
        "basemap": "底图",
        "basemap_none": "无底图(离线,仅省界)",
        "basemap_osm": "OpenStreetMap",
        "basemap_tianditu": "天地图",
        "basemap_custom": "内网瓦片服务",
        "basemap_gcj02": "高德/腾讯(GCJ-02,不可用)",
        "basemap_refused_gcj02": (
            "高德、腾讯底图采用GCJ-02加密坐标,与本图WGS84线路相差数百米,会把线路画错位置,因此不提供。"
            "请选择天地图(CGCS2000,与WGS84相差小于1米)或内网瓦片服务。"
        ),
        "basemap_no_token": "未配置天地图密钥(secrets 中的 tianditu_token),已改用无底图。",
        "basemap_no_custom": "未配置内网瓦片地址(secrets 中的 basemap_url),已改用无底图。",
        "count": "符合条件的项目:{n} 项(线路 {lines} 条,设施与区域事项 {others} 项)",
        "no_match": "没有符合条件的项目。请放宽筛选条件。",
        "ignored": "链接中有 {n} 个参数无法识别,已忽略:",
        "ignored_more": "……另有 {n} 个未列出",
        "table": "项目列表",
        "table_after_map": "地图绘出后,这里列出项目并提供下载。",
        "more_rows": "表中列出前 {shown:,} 项,共 {n:,} 项;下载的文件包含全部 {n:,} 项。",
        "download": "下载当前筛选结果",
        "download_geojson": "GeoJSON",
        "download_csv": "CSV",
        "download_gpkg": "GeoPackage",
        "selected": "已选中项目:{name}",
        "status_form_slot": "项目进展填报",
        "no_layers": "尚未找到图层数据。请先运行 python -m geo build。",
        # Table columns
        "col_name": "项目名称",
        "col_sector": "行业",
        "col_kind": "类型",
        "col_status": "状态",
        "col_effective": "生效日期",
        "col_recorded": "填报",
        "col_lead": "牵头单位",
        "col_partners": "合作省区",
        "col_length": "长度(公里)",
        "col_clause": "条款",
        "col_id": "编号",
        "plan_origin": "规划原文(2014年)",
        # Map popups
        "pp_sector": "行业 · 类型",
        "pp_lead": "牵头单位",
        "pp_coop": "配合单位",
        "pp_partners": "合作省区",
        "pp_countries": "合作国家",
        "pp_status": "进展状态",
        "pp_effective": "生效日期",
        "pp_recorded": "填报",
        "pp_recorded_by": "{editor},记录于 {at}",
        "pp_note": "进展说明",
        "pp_origin": "状态依据",
        "pp_origin_plan": "规划原文(2014年)",
        "pp_plan_wording": "规划表述",
        "pp_length": "长度",
        "pp_precision": "定位精度",
        "pp_clause": "规划条款",
        "pp_id": "编号",
        "pp_region": "区域性事项,标注在合作省区",
        "route_schematic": "示意走向(仅知端点)",
        "route_traced": "按已知途经点绘制",
        "route_estimated": "按已知途经点绘制,部分途经点为推算",
        "len_published": "公布长度",
        "len_drawn": "图上长度",
        "len_published_other": "公布长度 {km} 公里",
        "pp_plans": "列入规划",
        "reason_named": "规划点名",
        "reason_group": "所属区域",
        "reason_place": "所在地",
        "reason_end": "线路端点",
        "reason_border": "止于省界",
        "reason_route": "所属路线",
        "reason_source": "资料所载",
        "reason_context": "同句提及",
        # Map controls
        "map_fit": "缩放到所选项目",
        "map_zoom_in": "放大",
        "map_zoom_out": "缩小",
        "map_tiles_failed": "底图瓦片无法加载(可能无法连接互联网);省界和项目照常显示。",
        # Legend
        "lg_title": "图例",
        "lg_kinds": "线路类型(线宽)",
        "lg_status": "进展(线型)",
        "lg_status_built": "已建成 / 已完成",
        "lg_status_construction": "在建",
        "lg_status_planned": "规划、前期、待批、洽谈中",
        "lg_status_stopped": "搁置 / 取消(灰色)",
        "lg_route": "走向",
        "lg_points": "设施与区域事项",
        "lg_facility": "设施(聚合显示)",
        "lg_region": "区域性事项(标在合作省区)",
        "lg_home": "内蒙古自治区",
        "lg_partner": "所选合作省区",
        # Status form (ui/status_form.py, ui/signin.py, ui/history.py)
        "store_down": "进展库暂时无法连接,地图仍显示规划中的状态。请稍后再试。",
        "sign_in_hint": "查看无需登录;填报进展请先登录。",
        "session_origin_refused": "本页的地址不是本应用的地址,已保存的登录不在此页使用;请从本应用的地址打开。",
        "login_user": "用户名",
        "login_password": "密码",
        "login_submit": "登录",
        "signed_in_as": "已登录:{name}({agency})",
        "all_agencies": "全部单位",
        "logout": "退出登录",
        "status_project": "项目",
        "status_project_placeholder": "选择项目,或在地图上点击",
        "current_status": "当前状态:{status}({date} 生效;{editor} 记录于 {recorded})",
        "current_status_plan": "当前状态:{status}(规划原文,2014年)",
        "status_value": "新状态",
        "status_date": "生效日期",
        "status_note": "进展说明",
        "status_note_help": "最多 2000 字;按原文显示,不解析 HTML。",
        "status_source": "依据(文号、会议或链接)",
        "status_source_help": "例如:内发改区域字〔2014〕123号",
        "status_submit": "保存",
        "unchanged": "与当前记录相同(状态、生效日期和说明都未改变),未保存。",
        "saved": "已保存,新状态:{status}",
        "history": "变更记录:{name}",
        "h_effective": "生效日期",
        "h_what": "变更",
        "h_why": "说明",
        "h_source": "依据",
        "h_who": "填报人",
        "h_when": "记录时间",
        "h_baseline": "规划原文:{status}",
        "h_plan": "规划原文",
        "report": "年度进展报告",
        "report_year": "年度",
        "report_failed": "报告未能生成。",
    },
    "en": {
        "page_title": "Inner Mongolia regional cooperation map",
        "title": "Inner Mongolia {year} key regional cooperation items",
        "language": "语言 / Language",
        "filters": "Filters",
        "choose": "All (choose to narrow)",
        "partner": "Partner province",
        "partner_help": "Several allowed; the URL parameter partner takes full Chinese names",
        "mode": "Match provinces",
        "mode_partner": "named as partner in the plan",
        "mode_crossed": "crossed by the route",
        "sector": "Sector",
        "status": "Status",
        "agency": "Lead agency",
        "q": "Search project names",
        "q_placeholder": "e.g. UHV, Hohhot, 山东",
        "basemap": "Basemap",
        "basemap_none": "None (offline, province outlines)",
        "basemap_osm": "OpenStreetMap",
        "basemap_tianditu": "Tianditu",
        "basemap_custom": "Intranet tile server",
        "basemap_gcj02": "AMap / Tencent (GCJ-02, not offered)",
        "basemap_refused_gcj02": (
            "AMap and Tencent tiles use the obfuscated GCJ-02 datum; our WGS84 lines would appear "
            "hundreds of metres off, so they are not offered. Choose Tianditu (CGCS2000, within 1 m "
            "of WGS84) or an intranet tile server."
        ),
        "basemap_no_token": "No Tianditu key configured (tianditu_token in secrets); showing no basemap.",
        "basemap_no_custom": "No intranet tile URL configured (basemap_url in secrets); showing no basemap.",
        "count": "Matching projects: {n} ({lines} corridors, {others} facilities and regional items)",
        "no_match": "No project matches. Loosen the filters.",
        "ignored": "{n} URL parameters were not understood and are ignored:",
        "ignored_more": "… and {n} more not listed",
        "table": "Projects",
        "table_after_map": "The list of projects and the downloads appear here once the map is drawn.",
        "more_rows": "The table lists the first {shown:,} of {n:,} projects; the downloads hold all {n:,}.",
        "download": "Download the matching projects",
        "download_geojson": "GeoJSON",
        "download_csv": "CSV",
        "download_gpkg": "GeoPackage",
        "selected": "Selected project: {name}",
        "status_form_slot": "Progress update",
        "no_layers": "No layers found. Run python -m geo build first.",
        "col_name": "Project",
        "col_sector": "Sector",
        "col_kind": "Kind",
        "col_status": "Status",
        "col_effective": "Effective",
        "col_recorded": "Recorded by",
        "col_lead": "Lead agency",
        "col_partners": "Partner provinces",
        "col_length": "Length (km)",
        "col_clause": "Clause",
        "col_id": "ID",
        "plan_origin": "the plan's text (2014)",
        "pp_sector": "Sector · kind",
        "pp_lead": "Lead agency",
        "pp_coop": "Cooperating",
        "pp_partners": "Partners",
        "pp_countries": "Partner countries",
        "pp_status": "Status",
        "pp_effective": "Effective",
        "pp_recorded": "Recorded",
        "pp_recorded_by": "by {editor}, {at}",
        "pp_note": "Progress note",
        "pp_origin": "Status from",
        "pp_origin_plan": "the plan's text (2014)",
        "pp_plan_wording": "Plan wording",
        "pp_length": "Length",
        "pp_precision": "Precision",
        "pp_clause": "Plan clause",
        "pp_id": "ID",
        "pp_region": "Regional item, shown on its partner provinces",
        "route_schematic": "schematic (ends known only)",
        "route_traced": "traced through known places",
        "route_estimated": "traced, some crossings estimated",
        "len_published": "published length",
        "len_drawn": "length as drawn",
        "len_published_other": "published {km} km",
        "pp_plans": "In the plans of",
        "reason_named": "named in the plan",
        "reason_group": "member of a named group",
        "reason_place": "where it lies",
        "reason_end": "the line ends there",
        "reason_border": "ends on its border",
        "reason_route": "on the route it belongs to",
        "reason_source": "named by a source",
        "reason_context": "named in the same sentence",
        "map_fit": "Fit to selection",
        "map_zoom_in": "Zoom in",
        "map_zoom_out": "Zoom out",
        "map_tiles_failed": "Basemap tiles cannot be loaded (no internet?); provinces and projects are still shown.",
        "lg_title": "Legend",
        "lg_kinds": "Line kinds (width)",
        "lg_status": "Status (dash)",
        "lg_status_built": "operating / completed",
        "lg_status_construction": "under construction",
        "lg_status_planned": "planned, preparing, negotiating",
        "lg_status_stopped": "shelved / cancelled (grey)",
        "lg_route": "Route",
        "lg_points": "Facilities and regional items",
        "lg_facility": "facility (clustered)",
        "lg_region": "regional item (on its provinces)",
        "lg_home": "Inner Mongolia",
        "lg_partner": "selected partner provinces",
        "store_down": "The progress store cannot be reached; the map shows the plan's statuses. Please try again later.",
        "sign_in_hint": "Viewing needs no account; sign in to record progress.",
        "session_origin_refused": "This page's address is not the app's own, so the saved sign-in is not used here; "
                                  "open the app at its own address.",
        "login_user": "User name",
        "login_password": "Password",
        "login_submit": "Sign in",
        "signed_in_as": "Signed in as {name} ({agency})",
        "all_agencies": "all agencies",
        "logout": "Sign out",
        "status_project": "Project",
        "status_project_placeholder": "Choose a project, or click one on the map",
        "current_status": "Current status: {status} (effective {date}; recorded by {editor}, {recorded})",
        "current_status_plan": "Current status: {status} (the plan's text, 2014)",
        "status_value": "New status",
        "status_date": "Effective date",
        "status_note": "Progress note",
        "status_note_help": "Up to 2,000 characters; shown as written, HTML is not interpreted.",
        "status_source": "Source (document number, meeting or link)",
        "status_source_help": "e.g. 内发改区域字〔2014〕123号",
        "status_submit": "Save",
        "unchanged": "Same as the current record (status, effective date and note unchanged); not saved.",
        "saved": "Saved; new status: {status}",
        "history": "History: {name}",
        "h_effective": "Effective",
        "h_what": "Change",
        "h_why": "Note",
        "h_source": "Source",
        "h_who": "Recorded by",
        "h_when": "Recorded at",
        "h_baseline": "plan's text: {status}",
        "h_plan": "the plan",
        "report": "Annual progress report",
        "report_year": "Year",
        "report_failed": "The report could not be made.",
    },
}
for _lang, _texts in REPORT_TEXTS.items():
    STRINGS[_lang].update(_texts)


def lang_or_default(lang: str | None) -> str:
    """``lang`` if it is one we speak, else the default (Chinese)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The ``lang`` string for ``key``, formatted with ``values``.

    Raises
    ------
    KeyError
        ``key`` is not an interface string (a typo in the caller, caught by the tests).
    """
    text = STRINGS[lang_or_default(lang)][key]
    return text.format(**values) if values else text


def sector_label(code: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a sector code."""
    return taxonomy.label(taxonomy.SECTOR_TERMS, code, lang_or_default(lang))


def kind_label(code: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a feature kind."""
    return taxonomy.label(taxonomy.KINDS, code, lang_or_default(lang))


def status_label(code: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a status code."""
    return taxonomy.label(taxonomy.STATUSES, code, lang_or_default(lang))


def precision_label(code: int | None, lang: str = DEFAULT_LANG) -> str:
    """``"3 – second-order division …"``; the description is English in both languages."""
    if code is None:
        return ""
    zh = {1: "精确位置", 2: "地名附近(25公里内)", 3: "盟市或旗县驻地", 4: "省级(标在省区上)",
          5: "按已知地点推算走向", 6: "全国", 7: "不明确,标在首府", 8: "位置未知"}
    text = zh.get(int(code), "") if lang_or_default(lang) == "zh" else taxonomy.PRECISION.get(int(code), "")
    return f"{int(code)} – {text}" if text else str(code)


def error_text(err: GeoError, lang: str = DEFAULT_LANG) -> str:
    """The message of ``err`` in ``lang``, from its code and params (never its English ``str``).

    The text never names a host, a database, a file path or a driver message. It may hold text
    users typed (a name, a note): show it as text, not as Markdown or HTML.
    """
    text = _text_of(ERROR_TEXTS, err.code, lang) or _class_text(err, lang)
    return _formatted(text, err.params, lang) or ERROR_TEXTS["error"][lang_or_default(lang)]


def problem_text(problem: Problem, lang: str = DEFAULT_LANG) -> str:
    """One field problem of a status change in ``lang``."""
    text = _text_of(PROBLEM_TEXTS, problem.code, lang) or _text_of(ERROR_TEXTS, "error", lang) or ""
    return _formatted(text, problem.params, lang) or text


def _text_of(table: dict[str, dict[str, str]], code: str, lang: str) -> str | None:
    return table.get(code, {}).get(lang_or_default(lang))


def _class_text(err: GeoError, lang: str) -> str:
    """The text of the first code of the error's class or of its nearest base that has one."""
    for cls in type(err).__mro__:
        for code in getattr(cls, "codes", ())[:1]:
            text = _text_of(ERROR_TEXTS, code, lang)
            if text and "{" not in text:
                return text
    return ERROR_TEXTS["error"][lang_or_default(lang)]


def _formatted(text: str, params: dict[str, object], lang: str) -> str | None:
    try:
        return text.format_map({key: _shown(key, value, lang) for key, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return None


def _shown(key: str, value: object, lang: str) -> str:
    """A param as the user reads it: local times, ISO dates, status labels, joined lists."""
    if isinstance(value, datetime):
        return value.astimezone(settings.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if key == "status" and isinstance(value, str):
        return status_label(value, lang)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ("、" if lang_or_default(lang) == "zh" else ", ").join(str(v) for v in value) or "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
