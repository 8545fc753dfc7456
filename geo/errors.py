"""The one error hierarchy of the package: catch ``GeoError`` at the edges (CLI, app)."""


class GeoError(Exception):
    """Base class of every error this package raises on purpose."""


class PlanReadError(GeoError, ValueError):
    """The plan file is empty, binary or cannot be decoded."""


class PlanParseError(GeoError, ValueError):
    """The decoded plan does not have the structure of a cooperation plan."""


class PlaceNotFound(GeoError, LookupError):
    """A place name is not in the gazetteer (strict mode)."""


class LayerError(GeoError, ValueError):
    """A layer folder fails validation; the message lists every problem."""


class BasemapRefused(GeoError, ValueError):
    """A basemap cannot be used: GCJ-02/BD-09 tiles, or its key or URL is not configured."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "gcj02", "no_token", "no_url", "bad_url"


class StoreError(GeoError):
    """The status store cannot be reached or refused the operation."""


class StatusConflict(StoreError):
    """Someone else changed the project since the editor loaded it (optimistic locking)."""


class InvalidStatusChange(StoreError, ValueError):
    """A status change fails validation; ``problems`` maps field names to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.problems.items()))


class AuthError(GeoError, PermissionError):
    """Sign-in failed or the signed-in user may not do this."""


class StoreBusy(StoreError):
    """The status database stayed locked by other writers after several retries; try again."""
