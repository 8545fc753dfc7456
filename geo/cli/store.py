"""Command-line subcommands of the status store: ``store init``, ``user add`` and ``report``.

``add_store_commands(subparsers)`` registers them on the package's argparse parser; each sets
``func`` (``args -> exit code``) for the caller's dispatch, and raises ``GeoError`` on bad input
for the caller's ``main`` to print.

    python -m geo store init        # an empty store, also where a removed one was
    echo "$PASSWORD" | python -m geo user add wang --agency 自治区交通运输厅
    python -m geo report --year 2014 --format xlsx --out report-2014.xlsx
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import IO, Any

from geo import settings
from geo.errors import AuthError, GeoError, LayerError
from geo.outfile import write_file

#: Report formats and the file suffix each is written with.
FORMATS: dict[str, str] = {"csv": ".csv", "xlsx": ".xlsx", "html": ".html"}


def add_store_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register ``store init``, ``user add`` and ``report`` on ``subparsers`` (from ``add_subparsers``)."""
    store = subparsers.add_parser("store", help="the status store")
    store_commands = store.add_subparsers(dest="store_command", required=True, metavar="{init}")
    init = store_commands.add_parser(
        "init", help="create the status store (an empty one where a SQLite file was removed) and migrate it",
        description="Create the status store and bring its schema up to date. A SQLite store whose file "
                    "was removed is otherwise refused, so that history is never replaced by an empty "
                    "database unnoticed; run this to start an empty one on purpose.")
    init.add_argument("--database", metavar="URL", help="status store URL (default: GEO_DATABASE_URL or var/)")
    init.set_defaults(func=store_init_command)

    user = subparsers.add_parser("user", help="manage editor accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="{add}")
    add = user_commands.add_parser(
        "add", help="create an editor account; the password is read from standard input",
        description="Create an editor account. The password is read from standard input "
                    "(one line), or asked for twice when standard input is a terminal.")
    add.add_argument("name", help="sign-in name")
    add.add_argument("--agency", help="limit the editor to the projects of this agency (lead or cooperating)")
    add.add_argument("--database", metavar="URL", help="status store URL (default: GEO_DATABASE_URL or var/)")
    add.set_defaults(func=user_add_command)

    report = subparsers.add_parser(
        "report", help="write the annual progress report (one section per lead agency)")
    report.add_argument("--year", type=int, required=True, help="the reported year, e.g. 2014")
    report.add_argument("--format", choices=sorted(FORMATS), default="csv", help="output format (default csv)")
    report.add_argument("--out", type=Path, metavar="PATH",
                        help="output file, in an existing folder (default: standard output)")
    report.add_argument("--layers", type=Path, metavar="DIR", default=settings.DEFAULT_LAYERS,
                        help="folder of the GeoJSON layers (default data/geojson)")
    report.add_argument("--database", metavar="URL", help="status store URL (default: GEO_DATABASE_URL or var/)")
    report.set_defaults(func=report_command)


def store_init_command(args: argparse.Namespace) -> int:
    """``store init [--database URL]``: create (or upgrade) the store on purpose."""
    from geo.store import open_store

    with open_store(args.database, create=True) as store:
        print(f"status store ready at {store.url}")
    return 0


def user_add_command(args: argparse.Namespace, *, stdin: IO[str] | None = None) -> int:
    """``user add NAME [--agency AGENCY]``: create the account, print its name, never the password."""
    from geo.pipeline import read_agencies
    from geo.store import add_user, open_store

    password = read_password(stdin or sys.stdin)
    agencies = {form: name for form, (name, _) in read_agencies(settings.DATA_DIR).items()}
    with open_store(args.database) as store:
        user = add_user(store, args.name, password, agency=args.agency, known_agencies=agencies)
    limit = f", limited to {user.agency}" if user.agency else ", may edit every project"
    print(f"added editor {user.name!r}{limit}")
    return 0


def report_command(args: argparse.Namespace) -> int:
    """``report --year Y --format F [--out PATH] [--layers DIR] [--database URL]``."""
    from geo.reports.progress import (
        progress_report,
        report_to_csv,
        report_to_html,
        report_to_xlsx,
    )
    from geo.store import open_store

    projects = projects_from_layers(args.layers)
    with open_store(args.database) as store:
        report = progress_report(store, projects, args.year)
    if args.format == "xlsx":
        _write(report_to_xlsx(report), args.out)
    elif args.format == "html":
        _write(report_to_html(report), args.out)
    else:
        _write(report_to_csv(report), args.out, encoding="utf-8-sig")
    if args.out:
        count = sum(len(s.projects) for s in report.sections)
        print(f"wrote {args.out}: {len(report.sections)} lead agencies, {count} project entries",
              file=sys.stderr)
    return 0


def read_password(stream: IO[str]) -> str:
    """The password: asked twice with ``getpass`` on a terminal, else the first line of ``stream``.

    Raises
    ------
    AuthError
        The password is empty, or the two entries on a terminal differ.
    """
    if stream.isatty():
        password = getpass.getpass("password: ")
        if password and getpass.getpass("repeat password: ") != password:
            raise AuthError("the two passwords differ; nothing saved", code="password_mismatch")
    else:
        password = stream.readline().removesuffix("\n").removesuffix("\r")
    if not password:
        raise AuthError("empty password refused; give it on standard input (one line)", code="password_empty")
    return password


def projects_from_layers(folder: Path) -> list[dict[str, Any]]:
    """The project properties of every sector layer in ``folder``, in display order.

    Raises
    ------
    LayerError
        The folder holds no project.
    """
    from geo.layers import load_checked_layers

    frame, _ = load_checked_layers(folder)
    if frame.empty:
        raise LayerError(f"no projects in the layers of {str(folder)!r}", code="layers_empty")
    return [dict(row) for row in frame.drop(columns="geometry", errors="ignore").to_dict("records")]


def _write(content: str | bytes, out: Path | None, *, encoding: str = "utf-8") -> None:
    data = content if isinstance(content, bytes) else content.encode(encoding)
    if out is not None:
        write_file(out, data)  # whole or not at all: never a truncated report
    elif isinstance(content, bytes):
        if sys.stdout.isatty():
            raise GeoError("an xlsx workbook is binary; give --out PATH", code="report_needs_out")
        sys.stdout.buffer.write(content)
    else:
        sys.stdout.write(content)
