"""Build: plan files → layers on disk, with a report of what was read, placed and left unresolved.

Runs the stages in order (``text`` → ``plan`` → ``projects`` → ``geocode`` → ``layers``) for every
plan (default: all of ``data/plans/``), links the same project across plans (``geo.pipeline.plans``) and
gives a ``BuildReport`` the CLI prints.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo import settings
from geo.layers import check_layers, load_layers, save_layers
from geo.layers.ids import read_id_aliases
from geo.pipeline.boundaries import load_provinces
from geo.pipeline.gazetteer import load_gazetteer
from geo.pipeline.geocode import Unresolved, features_from_projects
from geo.pipeline.hints import read_hints
from geo.pipeline.names import read_glossary, translate
from geo.pipeline.partners import PartnerFinder
from geo.pipeline.plan import Plan, plan_from_text
from geo.pipeline.plans import PlanInfo, link_plans, plan_id_of
from geo.pipeline.projects import projects_from_plan, unknown_kinds_in_plan
from geo.pipeline.text import Damage, read_plan


@dataclass
class BuildReport:
    """What a build read and made: one or several plans, their features linked across plans."""

    plans: list[Plan]
    features: gpd.GeoDataFrame
    unresolved: list[Unresolved] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    unknown_kinds: list[tuple[str, str]] = field(default_factory=list)
    dropped_ids: list[str] = field(default_factory=list)
    plan_ids: list[str] = field(default_factory=list)

    @property
    def plan(self) -> Plan:
        """The newest plan of the build."""
        return self.plans[-1]

    @property
    def damage(self) -> list[Damage]:
        """Damaged sequences the text stage could not repair, in every plan."""
        return [d for plan in self.plans for d in plan.damage]

    def summary(self) -> str:
        """The text the CLI prints."""
        lines = []
        for plan, plan_id in zip(self.plans, self.plan_ids):
            lines += _plan_summary(plan, plan_id, self.features[self.features["plan_id"] == plan_id])
        if len(self.plans) > 1:
            again = self.features[self.features["plan_years"].map(len) > 1]
            lines.append(f"projects named in more than one plan: {again['id'].nunique()}" + "".join(
                f"\n  {i} ({', '.join(map(str, ys))})" for i, ys in
                again.drop_duplicates("id")[["id", "plan_years"]].itertuples(index=False)))
        lines.append(f"unresolved names: {len(self.unresolved)}" + "".join(
            f"\n  {u.name!r} in {u.project!r}; closest: {', '.join(u.suggestions) or '—'}" for u in self.unresolved))
        lines.append(f"words without an English translation (add them to data/terms.csv): {len(self.untranslated)}"
                     + "".join(f"\n  {w}" for w in self.untranslated))
        lines.append(f"corridor words of no known kind: {len(self.unknown_kinds)}"
                     + "".join(f"\n  clause {c}: {w}" for c, w in self.unknown_kinds))
        unknown = sorted({a for plan in self.plans for a in plan.unknown_agencies})
        lines.append(f"agencies not in data/agencies.csv: {len(unknown)}" + "".join(f"\n  {a}" for a in unknown))
        if self.dropped_ids:
            lines.append(f"ids of the previous layers no longer built and not in data/id_aliases.csv "
                         f"(their status history stays behind until aliased): {len(self.dropped_ids)}"
                         + "".join(f"\n  {i}" for i in self.dropped_ids))
        if self.written:
            lines.append(f"wrote {len(self.written)} files to {self.written[0].parent}")
        return "\n".join(lines)


def build_features(plan_paths: Path | Sequence[Path] | None = None, *, strict: bool = False,
                   data_dir: Path | None = None, year: int | None = None) -> BuildReport:
    """Run every stage up to features, in memory, for one plan or several (default: ``data/plans/``).

    ``year`` overrides the year each document gives (or gives none).
    """
    data_dir = data_dir or settings.DATA_DIR
    paths = settings.plan_paths() if plan_paths is None else [plan_paths] if isinstance(plan_paths, Path) else list(plan_paths)
    gazetteer = load_gazetteer(data_dir)
    finder = PartnerFinder(gazetteer, data_dir)
    provinces = load_provinces()
    hints, glossary = read_hints(data_dir / "hints.toml"), read_glossary(data_dir)
    built = []
    unresolved: list[Unresolved] = []
    untranslated: list[str] = []
    unknown_kinds: list[tuple[str, str]] = []
    for path in paths:
        plan = plan_from_text(read_plan(path), data_dir=data_dir, year=year)
        home = finder if finder.home == plan.region else PartnerFinder(gazetteer, data_dir, home=plan.region)
        projects = projects_from_plan(plan, home, data_dir=data_dir)
        frame, missing, words = features_from_projects(
            projects, gazetteer, home, provinces, hints=hints, strict=strict, glossary=glossary)
        title_en = translate(plan.title, gazetteer, glossary)
        info = PlanInfo(plan_id_of(path), plan.year, plan.title, plan.report_deadline, title_en.text)
        untranslated += [w for w in title_en.untranslated if w not in untranslated]
        built.append((info, plan, frame))
        unresolved += missing
        untranslated += [w for w in words if w not in untranslated]
        unknown_kinds += unknown_kinds_in_plan(plan)
    built.sort(key=lambda b: (b[0].year, b[0].plan_id))
    features = link_plans(((info, frame) for info, _, frame in built), make_id)
    override_statuses(features, data_dir)
    return BuildReport(plans=[plan for _, plan, _ in built], features=features, unresolved=unresolved,
                       untranslated=untranslated, unknown_kinds=unknown_kinds,
                       plan_ids=[info.plan_id for info, _, _ in built])


def build_layers(plan_paths: Path | Sequence[Path] | None = None, out_dir: Path | None = None, *,
                 strict: bool = False, data_dir: Path | None = None, year: int | None = None) -> BuildReport:
    """Run every stage and write the layers (and ``provinces.geojson``) to ``out_dir``."""
    report = build_features(plan_paths, strict=strict, data_dir=data_dir, year=year)
    out = Path(out_dir or settings.DEFAULT_LAYERS)
    report.dropped_ids = dropped_ids(out, set(report.features["id"]), data_dir or settings.DATA_DIR)
    report.written = save_layers(report.features, out, provinces=load_provinces())
    return report


def dropped_ids(out_dir: Path, new_ids: set[str], data_dir: Path) -> list[str]:
    """Ids of the layers already in ``out_dir`` that the new build lacks and no alias carries over."""
    if not out_dir.is_dir() or check_layers(out_dir):
        return []
    aliases = read_id_aliases(data_dir)
    return sorted(i for i in load_layers(out_dir)["id"] if i not in new_ids and aliases.get(i) not in new_ids)


def override_statuses(features: gpd.GeoDataFrame, data_dir: Path) -> None:
    """Set the status that ``data/status_overrides.csv`` cites for a project in one plan.

    The plan's own words can overstate where a project stood (力争早日建成 for a line still in its
    前期工作); a row there gives the status a dated official source states, and ``status_source``
    says which words and source it comes from. ``geo check`` rejects an unknown status code.
    """
    path = data_dir / "status_overrides.csv"
    if not path.exists():
        return
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            hit = (features["id"] == row["id"]) & (features["plan_id"] == row["plan_id"])
            features.loc[hit, "status"] = row["status"]
            features.loc[hit, "status_source"] = f"{row['phrase']} ({row['source']})"


def make_id(sector: str, words: str, taken: Counter[str]) -> str:
    """A stable, unique slug: sector, then the item's whole words (``rail-hohhot-zhangjiakou``)."""
    parts = re.findall(r"[a-z0-9]+", _ascii(words).lower())
    if parts[:1] == [sector]:  # energy-energy-cooperation… reads energy-cooperation…
        parts = parts[1:]
    slug = "-".join([sector, *parts[:8]])
    taken[slug] += 1
    return slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"


def _plan_summary(plan: Plan, plan_id: str, frame: gpd.GeoDataFrame) -> list[str]:
    lines = [
        f"plan: {plan.title} ({plan.year}, {plan_id}), {len(plan.clauses)} clauses, encoding {plan.encoding}",
        f"report duty: to {plan.report_to.name if plan.report_to else '—'} by {plan.report_deadline or '—'}",
        f"features: {len(frame)}",
    ]
    for sector in settings.SECTORS:
        subset = frame[frame["sector"] == sector]
        lines.append(f"  {sector:<10} {len(subset):>3}  ({', '.join(f'{k} {v}' for k, v in Counter(subset['kind']).items()) or '—'})")
    histogram = Counter(frame["precision"])
    lines.append("precision: " + ", ".join(f"{p}: {histogram[p]}" for p in sorted(histogram)))
    placed = Counter(frame["placed_on"])
    lines.append("placed on: " + ", ".join(f"{k} {v}" for k, v in sorted(placed.items())))
    regional = frame[frame["placed_on"].isin(["partner_provinces", "home_region"])]
    lines.append(f"items without a place of their own (shown on their provinces): {len(regional)}" + "".join(
        f"\n  {r.id} {r.name_zh} → {', '.join(r.partner_provinces) or plan.region}" for r in regional.itertuples()))
    lines.append(f"repairs: {len(plan.repairs)}" + "".join(f"\n  {r}" for r in plan.repairs))
    lines.append(f"unrepaired characters: {len(plan.damage)}" + "".join(f"\n  {d}" for d in plan.damage))
    return lines


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
