"""Command line: ``python -m geo build | check | review | user add | report``.

The one place (with ``app.py``) where ``GeoError`` is caught and shown as a message.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from geo import settings
from geo.errors import GeoError


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 problems found, 2 error)."""
    parser = _parser()
    args = parser.parse_args(argv)
    _logging(verbose=args.verbose)
    try:
        return int(args.func(args) or 0)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    from geo.cli.briefing import add_briefing_command
    from geo.cli.store import add_store_commands

    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print the log (warnings and above) to stderr")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="plan text → data/geojson layers, with a build report")
    build.add_argument("--plan", type=Path, action="append", default=None, metavar="PATH",
                       help="plan file: text (UTF-8, GB18030 or UTF-16 with a BOM), a saved web page, a .docx or a PDF "
                            "with a text layer; repeat for several plans; "
                            "default: every plan in data/plans/")
    build.add_argument("--out", type=Path, default=settings.DEFAULT_LAYERS, help="folder for the layers")
    build.add_argument("--strict", action="store_true", help="fail on place names the gazetteer lacks")
    build.add_argument("--year", type=int, default=None,
                       help="the plan's year, when its title, issue date and text give none (or give a wrong one)")
    build.set_defaults(func=_build)
    check = commands.add_parser("check", help="validate a layer folder; every problem is listed")
    check.add_argument("dir", type=Path, nargs="?", default=settings.DEFAULT_LAYERS)
    check.set_defaults(func=_check)
    review = commands.add_parser("review", help="one row per feature, for a planner to check the layers")
    review.add_argument("dir", type=Path, nargs="?", default=settings.DEFAULT_LAYERS)
    review.add_argument("--format", choices=("md", "csv"), default="md", help="Markdown table or CSV")
    review.set_defaults(func=_review)
    add_store_commands(commands)
    add_briefing_command(commands)
    return parser


def _logging(*, verbose: bool) -> None:
    """Warnings go to stderr with ``--verbose``; otherwise an error is the one line ``main`` prints."""
    root = logging.getLogger()
    if root.handlers:  # configured by whoever called us
        return
    if verbose:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    else:
        root.addHandler(logging.NullHandler())


def _build(args: argparse.Namespace) -> int:
    from geo.layers import check_out_dir
    from geo.pipeline import build_layers

    check_out_dir(args.out)  # before the pipeline runs, not after
    report = build_layers(args.plan, args.out, strict=args.strict, year=args.year)
    print(report.summary())
    return 0


def _check(args: argparse.Namespace) -> int:
    from geo.layers.check import check_layers

    problems = check_layers(args.dir)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems in {args.dir}" if problems else f"{args.dir}: all layers valid")
    return 1 if problems else 0


def _review(args: argparse.Namespace) -> int:
    from geo.layers.review import review_table

    print(review_table(args.dir, fmt=args.format), end="")
    return 0
