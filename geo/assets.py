"""Offline map assets: Leaflet, MarkerCluster and Font Awesome from installed XStatic packages.

folium and streamlit-folium name their JavaScript and CSS by CDN URL (``default_js`` /
``default_css`` of each ``JSCSSMixin`` element); on an intranet without internet those never
load and the map stays blank. This stage takes a folium map and gives it back with every such
link pointing at the app's own static route, and copies the files those links need from the
XStatic packages into the app's (git-ignored) static folder. Nothing here is third-party code
committed to the repository; nothing here talks to a CDN.

Streamlit serves ``<app dir>/static/`` at ``/app/static/`` when ``server.enableStaticServing``
is on, with real content types and ``X-Content-Type-Options: nosniff``; it refuses symbolic
links that leave the folder, so files are copied, not linked.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import folium
import folium.elements

from geo.errors import GeoError

#: URL under which ``install_assets`` places the vendor folder when Streamlit serves ``static/``.
DEFAULT_BASE_URL = "/app/static/vendor"


@dataclass(frozen=True)
class Asset:
    """One file the page needs, from an installed XStatic package."""

    package: str  # module under ``xstatic.pkg``
    source: str  # path inside the package's ``BASE_DIR``
    target: str  # path under the vendor folder (keeps the relative layout CSS ``url()`` expects)


#: Every file the map page loads, plus what the stylesheets reference (images, fonts) and
#: source maps (fetched only when developer tools are open; served so they never fail).
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet", "leaflet.css", "leaflet/leaflet.css"),
    *(
        Asset("leaflet", f"images/{name}", f"leaflet/images/{name}")
        for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png",
                     "marker-shadow.png")
    ),
    Asset("leaflet_markercluster", "MarkerCluster.css", "markercluster/MarkerCluster.css"),
    Asset("font_awesome", "css/fontawesome.min.css", "fontawesome/css/fontawesome.min.css"),
    Asset("font_awesome", "css/solid.min.css", "fontawesome/css/solid.min.css"),
    Asset("font_awesome", "webfonts/fa-solid-900.woff2", "fontawesome/webfonts/fa-solid-900.woff2"),
    Asset("font_awesome", "webfonts/fa-solid-900.ttf", "fontawesome/webfonts/fa-solid-900.ttf"),
)



@dataclass(frozen=True)
class Bundle:
    """Scripts from installed packages joined into one file at install time, in this order."""

    target: str  # path under the vendor folder
    parts: tuple[Asset, ...]  # ``target`` of a part is unused


#: streamlit-folium loads a map's script links strictly one after another (each waits for the
#: previous one to run), so Leaflet and MarkerCluster travel as one file: one request fewer on
#: the way to the first corridor. Their source-map comments are dropped (the maps would not
#: match the joined file).
BUNDLES: tuple[Bundle, ...] = (
    Bundle("leaflet/leaflet-markercluster.js", (
        Asset("leaflet", "leaflet.js", ""),
        Asset("leaflet_markercluster", "leaflet.markercluster.js", ""),
    )),
)

#: folium's link names → the vendor file replacing the CDN URL (same versions: Leaflet 1.9.3).
#: Both scripts are one bundle; ``localize_map`` keeps the first link to it.
LOCAL_JS: dict[str, str] = {
    "leaflet": "leaflet/leaflet-markercluster.js",
    "markerclusterjs": "leaflet/leaflet-markercluster.js",
}
LOCAL_CSS: dict[str, str] = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "awesome_markers_font_css": "fontawesome/css/fontawesome.min.css",
    "fontawesome_solid_css": "fontawesome/css/solid.min.css",
}
#: Links the page does not use: popups are built without jQuery, markers and clusters are
#: Leaflet divIcons styled by the map's own CSS, and nothing uses Bootstrap or awesome-markers.
UNUSED: frozenset[str] = frozenset({
    "jquery", "bootstrap", "bootstrap_css", "awesome_markers", "awesome_markers_css",
    "awesome_rotate_css", "glyphicons_css", "markerclusterdefaultcss",
})


class AssetError(GeoError, LookupError):
    """A map element asks for a file that is neither served locally nor known to be unused."""

    codes: ClassVar[tuple[str, ...]] = ("asset_unknown", "asset_missing_package")


def localize_map(m: folium.Map, *, base_url: str = DEFAULT_BASE_URL) -> folium.Map:
    """Point every JS/CSS link of ``m`` and its children at ``base_url``; drop the unused ones.

    Parameters
    ----------
    m
        The map; changed in place (instance attributes only, folium's class lists stay intact).
    base_url
        URL of the vendor folder as the browser sees it, e.g. ``/app/static/vendor``.

    Returns
    -------
    The same map, for chaining.

    Raises
    ------
    AssetError
        An element links a resource with no local copy; the message lists every such link.
    """
    unknown: list[str] = []
    seen: set[str] = set()  # a URL linked by an earlier element (the bundle) is not linked again
    for element in _linking_elements(m):
        element.default_js = _local_links(element.default_js, LOCAL_JS, base_url, unknown, seen)
        element.default_css = _local_links(element.default_css, LOCAL_CSS, base_url, unknown, seen)
    if isinstance(m, folium.Map):
        # The Font Awesome solid style is not in folium's list; markers use its glyphs.
        solid = _url(base_url, LOCAL_CSS["fontawesome_solid_css"])
        if solid not in seen:
            m.default_css = [*m.default_css, ("fontawesome_solid_css", solid)]
    if unknown:
        msg = f"no local copy for {len(unknown)} map resource(s): {', '.join(sorted(set(unknown)))}"
        raise AssetError(msg, code="asset_unknown", count=len(set(unknown)))
    return m


def install_assets(static_dir: Path) -> Path:
    """Copy the vendor files from the XStatic packages into ``static_dir/vendor`` (idempotent).

    A file is copied again only when its size or modification time differs from the package's,
    so calling this at every app start costs a few ``stat`` calls.

    Parameters
    ----------
    static_dir
        The folder Streamlit serves as ``/app/static`` (``<app dir>/static``).

    Returns
    -------
    The vendor folder.
    """
    vendor = static_dir / "vendor"
    for bundle in BUNDLES:
        _install_bundle(bundle, vendor / bundle.target)
    for asset in ASSETS:
        source = asset_source(asset)
        target = vendor / asset.target
        if _same_file(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copy2(source, tmp)
        tmp.replace(target)  # atomic: a browser never gets half a file from a concurrent start
    return vendor


def asset_source(asset: Asset) -> Path:
    """Path of ``asset`` inside its installed XStatic package."""
    try:
        package = importlib.import_module(f"xstatic.pkg.{asset.package}")
    except ImportError as err:
        msg = f"the map needs {asset.source!r} from xstatic.pkg.{asset.package}; install requirements.txt"
        raise AssetError(msg, code="asset_missing_package", package=asset.package) from err
    return Path(package.BASE_DIR) / asset.source


def asset_urls(base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """URLs of every vendor file, as the browser would request them."""
    return [_url(base_url, target) for target in (*(b.target for b in BUNDLES), *(a.target for a in ASSETS))]


def bundle_text(bundle: Bundle) -> str:
    """The joined scripts of ``bundle`` as installed (source-map comments dropped)."""
    texts = []
    for part in bundle.parts:
        text = asset_source(part).read_text("utf-8")
        texts.append("\n".join(line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")))
    return "\n;\n".join(texts) + "\n"


def _linking_elements(root: folium.Element) -> Iterator[folium.elements.JSCSSMixin]:
    if isinstance(root, folium.elements.JSCSSMixin):
        yield root
    for child in getattr(root, "_children", {}).values():
        yield from _linking_elements(child)


def _local_links(links: list[tuple[str, str]], local: dict[str, str], base_url: str,
                 unknown: list[str], seen: set[str]) -> list[tuple[str, str]]:
    kept = []
    for name, url in links:
        if name in UNUSED:
            continue
        if name in local:
            url = _url(base_url, local[name])
        elif not url.startswith(base_url):  # a local URL: localize_map called twice
            unknown.append(f"{name} ({url})")
            continue
        if url not in seen:
            seen.add(url)
            kept.append((name, url))
    return kept


def _install_bundle(bundle: Bundle, target: Path) -> None:
    """Write the bundle when its content changed (a few hundred kB read at each start)."""
    data = bundle_text(bundle).encode("utf-8")
    try:
        if target.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)  # atomic, as for the copied files


def _url(base_url: str, target: str) -> str:
    return f"{base_url.rstrip('/')}/{target}"


def _same_file(source: Path, target: Path) -> bool:
    try:
        a, b = source.stat(), target.stat()
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


if __name__ == "__main__":  # ``python -m geo.assets``: install before the first start (no warning)
    from geo import settings

    print(install_assets(settings.ROOT / "static"))
