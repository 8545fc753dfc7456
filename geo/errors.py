"""The one error hierarchy of the package: catch ``GeoError`` at the edges (CLI, app).

Every error carries a stable ``code`` and the ``params`` to word it with, so that the edge can
show it in the user's language (``geo.i18n.error_text``). ``str(err)`` stays an English message
for logs and the command line; it may name hosts, files and driver messages, which the
translated texts never do. Each class lists in ``codes`` every code it is raised with (a test
reads the raise sites and checks them against these lists and the translations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Problem:
    """One problem of one field: a code and its values for the user, an English message for logs."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    message: str = ""

    def __str__(self) -> str:
        return self.message or self.code


class GeoError(Exception):
    """Base class of every error this package raises on purpose."""

    #: Every code an error of this class may carry; the first is used when none is given.
    codes: ClassVar[tuple[str, ...]] = ("error", "report_needs_out")

    def __init__(self, message: str = "", *, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.code: str = code or self.codes[0]
        self.params: dict[str, object] = dict(params)


class PlanReadError(GeoError, ValueError):
    """The plan file is empty, binary, too large, damaged, a scan, or cannot be decoded."""

    codes: ClassVar[tuple[str, ...]] = ("plan_unreadable", "plan_empty", "plan_binary", "plan_undecodable",
                                        "plan_no_chinese", "plan_too_large", "plan_utf16_no_bom",
                                        "plan_damaged", "plan_no_text", "plan_no_text_layer")


class PlanParseError(GeoError, ValueError):
    """The decoded plan does not have the structure of a cooperation plan."""

    codes: ClassVar[tuple[str, ...]] = ("plan_no_clauses", "plan_no_title", "plan_no_year", "plan_no_region")


class PlaceNotFound(GeoError, LookupError):
    """A place name is not in the gazetteer (strict mode)."""

    codes: ClassVar[tuple[str, ...]] = ("place_not_found", "places_not_found")


class AssetError(GeoError, LookupError):
    """A file the map frame needs is missing from its package or from ``geo/webmap/static``."""

    codes: ClassVar[tuple[str, ...]] = ("asset_missing_package", "asset_unknown")


class LayerError(GeoError, ValueError):
    """A layer folder fails validation or cannot be written; the message lists every problem."""

    codes: ClassVar[tuple[str, ...]] = ("layers_invalid", "layers_empty", "out_is_file", "out_under_file",
                                        "out_not_layers", "out_unwritable", "layers_write_failed", "plan_missing",
                                        "layer_unreadable", "layers_missing")


class OutputError(GeoError, OSError):
    """A report or briefing cannot be written to ``--out``; nothing was left there."""

    codes: ClassVar[tuple[str, ...]] = ("out_write_failed", "out_is_folder", "out_no_folder")


class BasemapRefused(GeoError, ValueError):
    """A basemap cannot be used: GCJ-02/BD-09 tiles, or its key or URL is not configured."""

    codes: ClassVar[tuple[str, ...]] = ("basemap_gcj02", "basemap_no_token", "basemap_no_url", "basemap_bad_url")

    def __init__(self, message: str, *, reason: str, **params: object) -> None:
        super().__init__(message, code=f"basemap_{reason}", **params)
        self.reason = reason  # "gcj02", "no_token", "no_url", "bad_url"


class StoreError(GeoError):
    """The status store cannot be reached or refused the operation."""

    codes: ClassVar[tuple[str, ...]] = ("store_error", "store_unreachable", "store_refused", "store_bad_url", "store_no_driver",
             "store_in_memory", "store_folder", "store_not_configured", "store_missing")


class StatusConflict(StoreError):
    """Someone else changed the project since the editor loaded it (optimistic locking)."""

    codes: ClassVar[tuple[str, ...]] = ("status_conflict",)


class InvalidStatusChange(StoreError, ValueError):
    """A status change fails validation; ``problems`` maps field names to ``Problem``s."""

    codes: ClassVar[tuple[str, ...]] = ("status_invalid", "baselines_invalid", "aliases_invalid")

    def __init__(self, problems: dict[str, Problem], *, code: str | None = None) -> None:
        self.problems: dict[str, Problem] = dict(problems)
        super().__init__("; ".join(f"{name}: {p}" for name, p in self.problems.items()),
                         code=code, count=len(self.problems), fields=list(self.problems))


class AuthError(GeoError, PermissionError):
    """Sign-in failed or the signed-in user may not do this."""

    codes: ClassVar[tuple[str, ...]] = ("login_failed", "login_locked", "sign_in_required", "account_missing", "user_name_invalid",
             "user_name_reserved", "user_name_confusable", "user_exists", "password_too_short", "password_too_long",
             "password_empty", "password_mismatch", "agency_unknown")


class StoreBusy(StoreError):
    """The status database stayed locked by other writers after several retries; try again."""

    codes: ClassVar[tuple[str, ...]] = ("store_busy", "store_pool_exhausted")
