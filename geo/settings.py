"""Settings, read at call time. Environment variables are read here and nowhere else."""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta, timezone
from pathlib import Path

#: Repository root (the folder holding ``geo/`` and ``data/``).
ROOT: Path = Path(__file__).resolve().parent.parent
#: Curated data files (gazetteer additions, aliases, hints, agencies, provinces).
DATA_DIR: Path = ROOT / "data"
#: The plans the layers are built from, each byte for byte as received.
PLANS_DIR: Path = DATA_DIR / "plans"
#: The plan this project was built for first.
DEFAULT_PLAN: Path = PLANS_DIR / "nmg-2014-regional-cooperation.txt"
#: Committed output layers the app reads.
DEFAULT_LAYERS: Path = DATA_DIR / "geojson"
#: Sectors in display order; one layer file each.
SECTORS: tuple[str, ...] = (
    "rail", "road", "aviation", "energy", "industry", "logistics", "education", "science", "tourism",
)
#: Decimal places kept in output coordinates (RFC 7946 recommends no more than 6; 5 ≈ 1 m).
COORD_DECIMALS: int = 5
#: Spacing of densified corridor vertices along the geodesic, in km.
DENSIFY_KM: float = 25.0
#: Largest plan file read, in bytes (``GEO_MAX_PLAN_MB`` overrides): the 2014 plan has 40 kB, and a
#: file of tens of megabytes took minutes and hundreds of MB of memory before it was found wrong.
MAX_PLAN_BYTES: int = 2 * 1024 * 1024
#: Longest editor name, in characters after NFKC normalisation.
MAX_NAME_LENGTH: int = 64
#: Longest password, in UTF-8 bytes; a longer one is refused before it is hashed.
MAX_PASSWORD_BYTES: int = 1024
#: The time zone of Inner Mongolia (UTC+8, no daylight saving): "today" for the future-date check
#: and the times shown to users.
LOCAL_TZ = timezone(timedelta(hours=8), "CST")


def plan_paths() -> list[Path]:
    """Every plan in ``PLANS_DIR`` (``*.txt``), by name."""
    return sorted(PLANS_DIR.glob("*.txt"))


def database_url() -> str:
    """The status store's SQLAlchemy URL: ``GEO_DATABASE_URL`` or a SQLite file under ``var/``."""
    url = os.environ.get("GEO_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{var_dir() / 'status.sqlite3'}"


def max_plan_bytes() -> int:
    """Largest plan file read: ``GEO_MAX_PLAN_MB`` megabytes, or ``MAX_PLAN_BYTES``."""
    value = os.environ.get("GEO_MAX_PLAN_MB", "").strip()
    try:
        return int(float(value) * 1024 * 1024) if value else MAX_PLAN_BYTES
    except ValueError:
        return MAX_PLAN_BYTES


def var_dir() -> Path:
    """Git-ignored folder for local state (``GEO_VAR_DIR``, default ``var/`` in the repo)."""
    path = Path(os.environ.get("GEO_VAR_DIR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_database_url() -> str | None:
    """PostgreSQL URL for the store tests (``GEO_TEST_DATABASE_URL``), or None to skip them."""
    return os.environ.get("GEO_TEST_DATABASE_URL") or None


def session_hours() -> float:
    """How long a signed-in editor stays signed in across reloads (``GEO_SESSION_HOURS``, default 8)."""
    try:
        hours = float(os.environ.get("GEO_SESSION_HOURS", "8"))
    except ValueError:
        return 8.0
    return hours if 0 < hours <= 24 * 30 else 8.0


def public_url() -> str | None:
    """The address users reach the app at (``GEO_PUBLIC_URL``, e.g. ``https://map.example.org``), or None.

    Its origin may use the session; one starting ``https://`` makes the session cookie ``Secure``.
    """
    return os.environ.get("GEO_PUBLIC_URL", "").strip() or None


def allowed_origins() -> tuple[str, ...]:
    """Origins besides the app's own whose pages may use the session (``GEO_ALLOWED_ORIGINS``,
    separated by commas or spaces, e.g. ``https://map.example.org,https://gis.example.org:8443``).

    Values that are not an origin (``scheme://host[:port]``) are ignored.
    """
    values = os.environ.get("GEO_ALLOWED_ORIGINS", "").replace(",", " ").split()
    public = public_url()
    found = [origin_of(value) for value in ([public] if public else []) + values]
    return tuple(dict.fromkeys(origin for origin in found if origin))


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Addresses of the reverse proxies whose ``X-Forwarded-Proto`` is believed (``GEO_TRUSTED_PROXIES``,
    addresses or networks separated by commas or spaces, e.g. ``127.0.0.1,10.0.0.0/8``); none by default."""
    networks = []
    for value in os.environ.get("GEO_TRUSTED_PROXIES", "").replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, lower-case, without a default port; None for anything else."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")
