"""Command-line subcommand ``briefing``: one plan's selection as an A4 PDF to print.

    python -m geo briefing --plan 2014 --partner 山东省 --out brief.pdf
    python -m geo briefing --plan 2014 --sector energy --lang en --out energy-2014.pdf

Statuses are those recorded in the status store when it can be reached, else the plan's own
(the briefing says which).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from geo import i18n, settings
from geo.errors import GeoError, LayerError
from geo.outfile import write_file

_LOG = logging.getLogger(__name__)


def add_briefing_command(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register ``briefing`` on ``subparsers``."""
    brief = subparsers.add_parser("briefing", help="an A4 PDF of one plan's projects, to print")
    brief.add_argument("--plan", type=int, help="plan year (default: the newest plan in the layers)")
    brief.add_argument("--partner", action="append", default=[], help="partner province (full name); repeatable")
    brief.add_argument("--sector", action="append", default=[], choices=settings.SECTORS, help="sector; repeatable")
    brief.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG, help="language of the page")
    brief.add_argument("--layers", type=Path, metavar="DIR", default=settings.DEFAULT_LAYERS,
                       help="folder of the GeoJSON layers (default data/geojson)")
    brief.add_argument("--database", metavar="URL", help="status store URL (default: GEO_DATABASE_URL or var/)")
    brief.add_argument("--out", type=Path, required=True, metavar="PATH", help="the PDF to write")
    brief.set_defaults(func=briefing_command)


def briefing_command(args: argparse.Namespace) -> int:
    """Write the briefing of ``--plan``/``--partner``/``--sector`` to ``--out``."""
    from geo.filters import Filters, filter_projects, with_current_status
    from geo.layers import latest_year, load_checked_layers
    from geo.reports.briefing import briefing_pdf

    features, provinces = load_checked_layers(args.layers)
    if features.empty:
        raise LayerError(f"no layers in {str(args.layers)!r}", code="layers_empty")
    if provinces is None:
        raise LayerError(f"no provinces.geojson in {str(args.layers)!r}", code="layers_invalid", count=1)
    year = args.plan or latest_year(features)
    plan = features[features["plan_year"] == year] if "plan_year" in features else features.iloc[0:0]
    if plan.empty:
        years = sorted({int(y) for y in features.get("plan_year", [])})
        raise LayerError(f"no plan of {year} in {str(args.layers)!r}; plans: {years}", code="plan_missing",
                         year=year, years=years)
    selection = filter_projects(with_current_status(plan, _statuses(args.database)),
                                Filters(partners=tuple(args.partner), sectors=tuple(args.sector)))
    title = str(plan["plan_title_en" if args.lang == "en" else "plan_title"].iloc[0])
    pdf = briefing_pdf(selection, provinces, title=title,
                       selection=_selection_words(args.partner, args.sector, args.lang), lang=args.lang,
                       today=datetime.now(settings.LOCAL_TZ).date(), highlight=args.partner)
    write_file(args.out, pdf)  # whole or not at all: never an empty PDF
    print(f"wrote {args.out} ({len(selection)} projects)", file=sys.stderr)
    return 0


def _statuses(url: str | None) -> dict[str, dict[str, Any]]:
    """Project id → the store's current status, for projects staff changed; {} without a store."""
    from geo.store import open_store

    try:
        with open_store(url) as store:
            return {pid: {"status": r.status, "changed_at": r.changed_at, "editor": r.editor}
                    for pid, r in store.current_all().items() if r.version > 1}
    except GeoError as err:
        _LOG.warning("briefing uses the plan's statuses: %s", err)
        return {}


def _selection_words(partners: list[str], sectors: list[str], lang: str) -> str:
    parts = [i18n.t("brief_partner", lang, partner="、".join(partners) if lang == "zh" else ", ".join(partners))] \
        if partners else []
    parts += [i18n.sector_label(s, lang) for s in sectors]
    return " · ".join(parts) or i18n.t("brief_all", lang)
