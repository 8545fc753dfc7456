"""The map frame's files: Leaflet, MarkerCluster and Font Awesome from installed XStatic packages,
our own browser code from ``geo/webmap/static/``, and the frame's HTML that links them.

Nothing here is third-party code committed to the repository and nothing talks to a CDN: the
vendor files are read from the packages at server start, joined where one request can do the
work of two, and served by the app under a URL that holds the digest of the whole set, so the
browser may keep them for good and a new version is a new URL.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from geo.errors import AssetError

WEB_DIR: Path = Path(__file__).resolve().parent / "static"
#: Our browser code, joined into ``map.js`` in this order (each file adds to ``window.NMG``).
SCRIPTS: tuple[str, ...] = ("panels.js", "controls.js", "map.js", "frame.js")
STYLES: tuple[str, ...] = ("map.css",)


@dataclass(frozen=True)
class Asset:
    """One file the page needs, from an installed XStatic package."""

    package: str  # module under ``xstatic.pkg``
    source: str  # path inside the package's ``BASE_DIR``
    target: str  # path under the asset URL (keeps the relative layout CSS ``url()`` expects)


#: Every vendor file the frame loads, plus what the stylesheets reference (images, fonts).
VENDOR: tuple[Asset, ...] = (
    Asset("leaflet", "leaflet.css", "leaflet/leaflet.css"),
    *(Asset("leaflet", f"images/{name}", f"leaflet/images/{name}")
      for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")),
    Asset("leaflet_markercluster", "MarkerCluster.css", "markercluster/MarkerCluster.css"),
    Asset("font_awesome", "css/fontawesome.min.css", "fontawesome/css/fontawesome.min.css"),
    Asset("font_awesome", "css/solid.min.css", "fontawesome/css/solid.min.css"),
    Asset("font_awesome", "webfonts/fa-solid-900.woff2", "fontawesome/webfonts/fa-solid-900.woff2"),
    Asset("font_awesome", "webfonts/fa-solid-900.ttf", "fontawesome/webfonts/fa-solid-900.ttf"),
)
#: Leaflet and MarkerCluster as one file (one request fewer before the first corridor); their
#: source-map comments are dropped (the maps would not match the joined file).
BUNDLE_TARGET = "leaflet/leaflet-markercluster.js"
BUNDLE: tuple[Asset, ...] = (Asset("leaflet", "leaflet.js", ""),
                             Asset("leaflet_markercluster", "leaflet.markercluster.js", ""))

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png",
          ".woff2": "font/woff2", ".ttf": "font/ttf", ".html": "text/html; charset=utf-8",
          ".json": "application/json"}


@dataclass(frozen=True)
class AssetSet:
    """Every file of the frame by path, and the digest of them all (part of their URL)."""

    files: dict[str, bytes]
    digest: str


@cache
def asset_set() -> AssetSet:
    """The frame's files, read once per process."""
    files = {asset.target: asset_source(asset).read_bytes() for asset in VENDOR}
    files[BUNDLE_TARGET] = bundle_text().encode("utf-8")
    files["map.js"] = browser_code(SCRIPTS).encode("utf-8")
    files["map.css"] = browser_code(STYLES).encode("utf-8")
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    return AssetSet(files, digest.hexdigest()[:16])


def frame_html(*, assets_url: str, data_url: str) -> str:
    """The frame's page: the vendor files, our code and the map data's URL (preloaded)."""
    template = Template((WEB_DIR / "frame.html").read_text("utf-8"))
    return template.substitute(assets=assets_url.rstrip("/"), data=data_url)


def content_type(path: str) -> str:
    """The Content-Type of a served file, by its suffix."""
    return _TYPES.get(Path(path).suffix, "application/octet-stream")


def browser_code(names: tuple[str, ...]) -> str:
    """Files of ``geo/webmap/static`` joined in order, each introduced by its name."""
    parts = []
    for name in names:
        path = WEB_DIR / name
        if not path.exists():
            raise AssetError(f"the map frame needs {name!r} in {WEB_DIR}", code="asset_unknown", count=1)
        parts.append(f"/* {name} */\n" + path.read_text("utf-8"))
    return "\n".join(parts)


def asset_source(asset: Asset) -> Path:
    """Path of ``asset`` inside its installed XStatic package."""
    try:
        package = importlib.import_module(f"xstatic.pkg.{asset.package}")
    except ImportError as err:
        msg = f"the map needs {asset.source!r} from xstatic.pkg.{asset.package}; install requirements.txt"
        raise AssetError(msg, code="asset_missing_package", package=asset.package) from err
    path = Path(package.BASE_DIR) / asset.source
    if not path.exists():
        raise AssetError(f"xstatic.pkg.{asset.package} has no {asset.source!r}; install requirements.txt",
                         code="asset_missing_package", package=asset.package)
    return path


def bundle_text() -> str:
    """Leaflet then MarkerCluster, as installed, source-map comments dropped."""
    texts = []
    for part in BUNDLE:
        text = asset_source(part).read_text("utf-8")
        texts.append("\n".join(line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")))
    return "\n;\n".join(texts) + "\n"


if __name__ == "__main__":  # ``python -m geo.webmap.assets``: check every file is there before the first start
    found = asset_set()
    print(f"{len(found.files)} map files, {sum(map(len, found.files.values())):,} bytes, digest {found.digest}")
