"""Offline folium maps: the county basemap and its assets (Leaflet served locally), tiles, shared drawing helpers.

No CDN is ever contacted. Folium elements name their JavaScript/CSS by CDN URL (``default_js``,
``default_css``); :func:`localize` rewrites them to files vendored under ``static/vendor/`` (served by
Streamlit at ``/app/static/vendor/...`` with ``server.enableStaticServing``), dropping the jQuery/Bootstrap/
Font Awesome bundles these maps do not use. :func:`to_html` inlines the same files for saved, standalone
HTML. Without tiles the basemap is the 11 county polygons and the town seats; tile layers are an opt-in
online option (:class:`MapTiles`). When 高德 (Amap, GCJ-02) tiles are on, every overlay coordinate is shifted
to GCJ-02 through ``geodata.datum`` so that it lines up.

The case, cluster, candidate and route layers drawn on this basemap are in :mod:`planner.field.map_layers`.

Public API
----------
``MapTiles(osm=False, tianditu_key="", amap=False)``
``base_map(*, tiles=None, counts=None, towns=True, gazetteer=None, height_px=None) -> folium.Map``
``town_dots(gazetteer=None) -> tuple[TownDot, ...]``
    The town seats the basemap draws: the office gazetteer's point where it has one, else the built-in point
    (marked approximate when it is a hand-written estimate).
``localize(m) -> m``; ``to_html(m) -> str``; ``vendor_assets(dest=VENDOR_DIR) -> list[Path]``
``projector(tiles)``, ``set_view(m, latlons)``, ``in_pane(layer, pane)``, ``finish(m)``, ``js_literal(value)``
    Helpers the layers share.
``MapLegend(entries)``
    A legend in the map's corner: ``(key, words, colour)`` per entry, the words written as text.

Every string from users (case numbers, summaries, place names, team names) is ``html.escape``\\ d before it
reaches a tooltip or label.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import folium
import folium.plugins
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

import geodata
from planner.domain import PetitionCase
from planner.errors import InputError
from planner.field.county_labels import LABELS_JS, label_rows
from planner.field.stop_state import LEGEND_CSS, LEGEND_JS

if TYPE_CHECKING:
    from planner.places.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = ROOT / "static" / "vendor"
#: URL prefix under which Streamlit serves ``static/`` (``server.enableStaticServing``).
STATIC_URL = "/app/static/vendor/"

CENTER = (24.45, 117.55)  # lat, lon: middle of Zhangzhou
ZOOM = 9

#: Assets our maps use: CDN URL (as folium names it) -> vendored file name.
ASSETS: dict[str, str] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet.markercluster.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": "MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        "MarkerCluster.Default.css"
    ),
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js": (
        "leaflet-heat.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "Control.FullScreen.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "Control.FullScreen.css",
}
#: Bundles folium's Map lists but these maps never use (no Bootstrap popups, no Font Awesome icons).
UNUSED_ASSETS = frozenset(
    {"jquery", "bootstrap", "bootstrap_css", "glyphicons_css", "awesome_markers", "awesome_markers_css",
     "awesome_markers_font_css", "awesome_rotate_css"}
)

PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
)
OTHER_COLOR = "#9e9e9e"
#: Sequential reds for the county choropleth (0 cases: CHORO_EMPTY).
CHORO = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
CHORO_EMPTY = "#f5f5f5"

_CSS = """
<style>
.leaflet-container { background: #dfe9f0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.xf-county-label { color: #37474f; font-size: 12px; font-weight: 600; white-space: nowrap; text-align: center;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
.xf-stop { background: var(--c); color: #fff; border: 2px solid #fff; border-radius: 50%; width: 24px;
  height: 24px; line-height: 20px; text-align: center; font: 700 12px sans-serif; box-shadow: 0 0 3px #333; }
.xf-base { background: #263238; color: #fff; border: 2px solid var(--c); border-radius: 4px; width: 26px;
  height: 26px; line-height: 22px; text-align: center; font-size: 13px; box-shadow: 0 0 3px #333; }
.xf-break { background: #fff8e1; color: #6d4c41; border: 1px solid #8d6e63; border-radius: 10px;
  padding: 0 5px; font-size: 12px; white-space: nowrap; }
.xf-hotspot { color: #b71c1c; font-size: 12px; font-weight: 700; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.xf-stop.xf-done::after { content: "\\2713"; }
.leaflet-tooltip { font-size: 13px; }
""" + LEGEND_CSS + """</style>
"""


def esc(value: object) -> str:
    """HTML-escape any value (quotes too)."""
    return html.escape("" if value is None else str(value), quote=True)


# ---------------------------------------------------------------------------------------------- tiles


@dataclass(frozen=True, slots=True)
class MapTiles:
    """Optional online tile layers (all off by default: the app must work on a closed network).

    ``amap`` (高德, GCJ-02) cannot be mixed with WGS-84 tiles: when it is on, it is the only tile layer and
    overlays are converted to GCJ-02.
    """

    osm: bool = False
    tianditu_key: str = ""
    amap: bool = False
    # The 天地图 layers are drawn only when switched on *and* a key is set: an office may keep its key for
    # 地名校准 alone (设置 stores the switch; settings saved before it existed keep their tiles on).
    tianditu: bool = True

    @property
    def tianditu_on(self) -> bool:
        """True when the 天地图 layers are drawn (switched on and a key set)."""
        return self.tianditu and bool(self.tianditu_key.strip())

    @property
    def any(self) -> bool:
        """True when some tile layer is switched on."""
        return self.osm or self.tianditu_on or self.amap

    @property
    def overlay_datum(self) -> str:
        """Datum in which overlays must be drawn: ``"gcj02"`` under Amap tiles, else ``"wgs84"``."""
        return "gcj02" if self.amap else "wgs84"


def _add_tiles(m: folium.Map, tiles: MapTiles | None) -> None:
    if tiles is None or not tiles.any:
        return
    if tiles.amap:
        folium.TileLayer(
            tiles="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            attr="&copy; 高德地图", name="高德地图", subdomains="1234", max_zoom=18,
        ).add_to(m)
        return
    key = tiles.tianditu_key.strip()
    if tiles.tianditu_on:
        tk = quote(key, safe="")
        for layer, name in (("vec", "天地图"), ("cva", "天地图注记")):
            folium.TileLayer(
                tiles=(
                    f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                    f"&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                    f"&TILECOL={{x}}&tk={tk}"
                ),
                attr="&copy; 天地图", name=name, subdomains="01234567", max_zoom=18,
                overlay=layer == "cva", control=layer == "vec",
            ).add_to(m)
    if tiles.osm:
        folium.TileLayer(
            tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attr="&copy; OpenStreetMap contributors", name="OpenStreetMap", max_zoom=19,
            show=not key,
        ).add_to(m)


def projector(tiles: MapTiles | None):
    """A function turning WGS-84 (lon, lat) into the (lat, lon) Leaflet needs, in the overlay datum."""
    if tiles is not None and tiles.amap:
        from geodata.datum import wgs84_to_gcj02

        def to_gcj(lon: float, lat: float) -> tuple[float, float]:
            x, y = wgs84_to_gcj02(lon, lat)
            return (round(y, 6), round(x, 6))

        return to_gcj
    return lambda lon, lat: (round(lat, 6), round(lon, 6))


def _project_geojson(gj: dict, tiles: MapTiles | None) -> dict:
    if tiles is None or not tiles.amap:
        return gj
    proj = projector(tiles)

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lat, lon = proj(coords[0], coords[1])
            return [lon, lat]
        return [walk(c) for c in coords]

    for f in gj["features"]:
        f["geometry"]["coordinates"] = walk(f["geometry"]["coordinates"])
    return gj


# ---------------------------------------------------------------------------------------------- assets


def asset_file(url: str) -> str:
    """The vendored file name of a CDN URL folium uses.

    Raises
    ------
    InputError
        If the URL is not vendored (a new plugin needs an entry in :data:`ASSETS`).
    """
    if url.startswith(STATIC_URL):
        return url[len(STATIC_URL):]
    try:
        return ASSETS[url]
    except KeyError:
        raise InputError(
            f"地图资源 {url!r} 没有放在 static/vendor/ 下；请加入 planner.field.maps.ASSETS"
        ) from None


def vendor_assets(dest: Path = VENDOR_DIR) -> list[Path]:
    """Write every asset of :data:`ASSETS` to ``dest`` from the copies embedded in PyPI ``folium-offline``.

    Returns
    -------
    list[Path]
        The files written (existing identical files are left alone).
    """
    from offlinefolium.elements import _res

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for url, name in ASSETS.items():
        path = dest / name
        content = _res[url]
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize(m: folium.Map) -> folium.Map:
    """Point every element's ``default_js``/``default_css`` at ``/app/static/vendor/...``; drop unused bundles.

    Changes instance attributes only (folium's class-level lists stay untouched for other users).

    Raises
    ------
    InputError
        If an element needs an asset that is not vendored.
    """
    for el in _walk(m):
        if isinstance(el, JSCSSMixin):
            el.default_js = [(n, STATIC_URL + asset_file(u)) for n, u in el.default_js if n not in UNUSED_ASSETS]
            el.default_css = [(n, STATIC_URL + asset_file(u)) for n, u in el.default_css if n not in UNUSED_ASSETS]
    return m


def asset_urls(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements ask the browser to load (what ``st_folium`` passes on)."""
    urls = []
    for el in _walk(m):
        if isinstance(el, JSCSSMixin):
            urls += [u for _n, u in el.default_js] + [u for _n, u in el.default_css]
    return list(dict.fromkeys(urls))


_SCRIPT_RE = re.compile(r'<script src="' + re.escape(STATIC_URL) + r'([^"]+)"></script>')
_CSS_RE = re.compile(r'<link rel="stylesheet" href="' + re.escape(STATIC_URL) + r'([^"]+)"\s*/>')


def to_html(m: folium.Map, *, vendor_dir: Path = VENDOR_DIR) -> str:
    """A standalone HTML page of the map with Leaflet and plugins inlined (opens with no network).

    Raises
    ------
    InputError
        If the page would still load something from the network.
    """
    localize(m)
    page = m.get_root().render()

    def read(name: str) -> str:
        # </script> inside a library would end the inline block early.
        return (vendor_dir / name).read_text(encoding="utf-8").replace("</script", "<\\/script")

    page = _SCRIPT_RE.sub(lambda mt: "<script>" + read(mt.group(1)) + "</script>", page)
    page = _CSS_RE.sub(lambda mt: "<style>" + read(mt.group(1)) + "</style>", page)
    leftover = re.findall(r'<(?:script src|link rel="stylesheet" href)="(https?:[^"]+)"', page)
    if leftover:
        raise InputError(f"地图 HTML 仍会从网络加载 {leftover[0]!r}")
    return page


# ---------------------------------------------------------------------------------------------- basemap


_BLANK_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="


class _MapSetup(MacroElement):
    """Map-wide settings folium cannot express without a tile layer.

    - Zoom limits: folium only passes ``max_zoom`` to tile layers, and Leaflet.markercluster refuses a map
      without ``maxZoom``.
    - A metric scale bar only (folium's ``control_scale`` also draws miles).
    - Leaflet creates its default marker image for every ``L.marker`` before folium swaps in our DivIcon;
      pointing it at an inline blank image stops those (404) image requests.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.setMaxZoom(18); {{ this._parent.get_name() }}.setMinZoom(6);"
        "L.Icon.Default.imagePath = '';"
        "L.Icon.Default.mergeOptions({iconUrl: '" + _BLANK_GIF + "', iconRetinaUrl: '" + _BLANK_GIF + "',"
        " shadowUrl: '" + _BLANK_GIF + "'});"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


def js_literal(value: object) -> str:
    """JSON for inline JavaScript (``</`` cannot close the script block)."""
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


class _JsPoints(folium.map.Layer):
    """Many small labels or dots drawn by one JavaScript loop: one folium element instead of hundreds keeps
    rendering fast (each folium element costs a template compile on the server).

    ``points`` are ``[lat, lon, text]`` (dots: ``[lat, lon, text, approximate]``) with ``text`` already
    HTML-escaped.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (group) {
            var pts = {{ this.points_json }};
            {%- if this.kind == "label" %}
            // County names where they fit and clear a larger county's name (planner.field.county_labels).
            ({{ this.labels_js }})({{ this._parent.get_name() }}, group, pts);
            {%- else %}
            for (var i = 0; i < pts.length; i++) {
                var p = pts[i];
                // p[3]: the seat is only an estimate (hollow, dashed); else a known point (solid).
                L.circleMarker([p[0], p[1]], p[3] ? {radius: 3, color: "#8d6e63", weight: 1, dashArray: "2 2",
                    fill: true, fillColor: "#ffffff", fillOpacity: 0.5, className: "xf-town xf-town-approx"}
                    : {radius: 2.5, color: "#455a64", weight: 1, fill: true, fillColor: "#455a64",
                    fillOpacity: 0.9, className: "xf-town"}).bindTooltip(p[2]).addTo(group);
            }
            {%- endif %}
        })({{ this.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, points: list, *, kind: str, name: str, control: bool = True, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "JsPoints"
        self.kind = kind
        self.points_json = js_literal(points)
        self.labels_js = LABELS_JS


class MapLegend(MacroElement):
    """A legend in the map's bottom-left corner: one coloured dot and its words per ``(key, words, colour)`` entry
    (words put in as text, never HTML; the key is the row's ``data-state``), as the offline day map draws it."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        ({{ this.legend_js }})({{ this._parent.get_name() }}, {{ this.entries_json }});
        {% endmacro %}"""
    )

    def __init__(self, entries: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._name = "MapLegend"
        self.legend_js = LEGEND_JS
        self.entries_json = js_literal([list(e) for e in entries])


#: Pixels kept free between the outermost points and the map's edge at the first view: a stop's number or the base's
#: 驻 (26 px, centred on its point) and the letters beside it (walk 1, 390-px phone: 驻 cut at the left edge, stop 4
#: at the right).
MARKER_PAD_PX = 36


def set_view(m: folium.Map, latlons: Sequence[tuple[float, float]], *, width_px: int = 600,
              height_px: int = 420, max_zoom: int = 14, pad_px: int = MARKER_PAD_PX) -> None:
    """Centre and zoom the map on points in Python (``fitBounds`` in the browser runs before ``st_folium`` has
    given the map its size, and then fits nothing): every point at least ``pad_px`` inside a ``width_px`` ×
    ``height_px`` view, so the markers drawn on them are whole."""
    import math

    if not latlons:
        return
    lats = [p[0] for p in latlons]
    lons = [p[1] for p in latlons]

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom = 6
    for z in range(max_zoom, 5, -1):
        world = 256 * 2**z
        if (max(lons) - min(lons)) / 360 * world <= width_px - 2 * pad_px and (
            merc(max(lats)) - merc(min(lats))
        ) / (2 * math.pi) * world <= height_px - 2 * pad_px:
            zoom = z
            break
    m.location = [(min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2]
    m.options["zoom"] = zoom


def _bounds_of(gj: dict) -> tuple[float, float, float, float]:
    """``(min lon, min lat, max lon, max lat)`` of a FeatureCollection."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for f in gj["features"]:
        walk(f["geometry"]["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)


def _choro_color(value: int, vmax: int) -> str:
    if value <= 0 or vmax <= 0:
        return CHORO_EMPTY
    return CHORO[min(len(CHORO) - 1, int((value / vmax) * len(CHORO) - 1e-9))]


#: How the basemap names where an office town point comes from.
_TOWN_SOURCE = {"corrected": "人工校准", "imported": "本单位地名库", "tianditu": "天地图校准"}


@dataclass(frozen=True, slots=True)
class TownDot:
    """A town seat as the basemap draws it (WGS-84); ``approximate`` when its point is only an estimate."""

    code: str
    lon: float
    lat: float
    label: str  # plain text (escaped when drawn)
    approximate: bool


def town_dots(gazetteer: Gazetteer | None = None) -> tuple[TownDot, ...]:
    """The town seats for the basemap: the office's point of a town where it has one, else the built-in point.

    Parameters
    ----------
    gazetteer
        The office gazetteer (``planner.store.places.load_gazetteer``); a town imported from the office's lists or
        corrected on the map is drawn at that point. ``None``: the built-in points only.

    Returns
    -------
    tuple[TownDot, ...]
        One dot per town in the built-in order. A built-in hand-written estimate (``source == "estimate"``) is
        ``approximate`` and its label says how far off it may be; a GeoNames seat is within about 3 km.
    """
    by_code = gazetteer.by_code if gazetteer else {}
    out = []
    for t in geodata.towns():
        name = f"{t.county}{t.name}"
        place = by_code.get(t.code)
        if place is not None and place.level == "town":
            out.append(TownDot(t.code, place.lon, place.lat,
                               f"{name}（驻地：{_TOWN_SOURCE.get(place.source, '本单位地名库')}）", False))
        elif t.source == "estimate":
            out.append(TownDot(t.code, t.lon, t.lat,
                               f"≈ {name}（驻地位置为估计，可能相距 {t.precision_km:g} km；可在地名校准中更正）", True))
        else:
            out.append(TownDot(t.code, t.lon, t.lat, name, False))
    return tuple(out)


def county_code_of(code: str) -> str:
    """Current county code for a (possibly old, e.g. 350681 龙海市) code; ``""`` when unknown."""
    if not code:
        return ""
    try:
        return geodata.county_by_code(code[:6]).code
    except ValueError:
        return ""


def base_map(
    *,
    tiles: MapTiles | None = None,
    counts: Mapping[str, int] | None = None,
    count_label: str = "未办结信访件",
    highlight: Collection[str] = (),
    towns: bool = True,
    gazetteer: Gazetteer | None = None,
    labels: bool = True,
    fullscreen: bool = True,
) -> folium.Map:
    """A map of Zhangzhou whose basemap is the county polygons and town seats (tiles only if switched on).

    Parameters
    ----------
    tiles
        Optional online tile layers; ``None`` or all off: no request leaves the machine.
    counts
        ``{county_code: n}``: draws a choropleth and shows ``count_label: n`` in each county's tooltip.
    highlight
        County codes to emphasise (cluster map); others are drawn pale.
    towns
        Draw the 123 town seats as small dots (a layer that can be switched off).
    gazetteer
        The office gazetteer: towns it places (imported or corrected) are drawn there (see :func:`town_dots`).
    labels
        Write county names on the map.

    Returns
    -------
    folium.Map
        Already localized (see :func:`localize`).
    """
    # keyboard=False: Leaflet focuses the map on mousedown for keyboard control; when the map reaches below the
    # fold, the browser then scrolls the page between mousedown and click, and the click misses the marker.
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=False, min_zoom=7, max_zoom=18,
                   zoom_control=True, keyboard=False)
    m.get_root().header.add_child(Element(_CSS), name="xf_css")
    m.add_child(_MapSetup())
    _add_tiles(m, tiles)
    folium.map.CustomPane("counties", z_index=350, pointer_events=True).add_to(m)
    folium.map.CustomPane("routes", z_index=420, pointer_events=True).add_to(m)
    folium.map.CustomPane("cases", z_index=450, pointer_events=True).add_to(m)

    gj = _project_geojson(geodata.county_geojson(), tiles)
    counts = {county_code_of(k) or k: v for k, v in (counts or {}).items()}
    vmax = max(counts.values(), default=0)
    highlight = set(highlight)
    # Over tiles the polygons must let the tiles show; a choropleth stays light enough for markers on top.
    fill_base = 0.15 if tiles is not None and tiles.any else (0.6 if counts else 0.85)
    for f in gj["features"]:
        code = f["properties"]["code"]
        n = counts.get(code, 0)
        f["properties"]["n"] = n
        if counts:
            color = _choro_color(n, vmax)
        elif highlight:
            color = "#ffcc80" if code in highlight else "#eceff1"
        else:
            color = "#f1efe8"
        f["properties"]["fill"] = color
        f["properties"]["name"] = esc(f["properties"]["name"])
    fields, aliases = (["name", "n"], ["区县", count_label]) if counts else (["name"], ["区县"])
    folium.GeoJson(
        gj,
        name="区县",
        pane="counties",
        style_function=lambda feat: {
            "fillColor": feat["properties"]["fill"],
            "color": "#546e7a",
            "weight": 1.2,
            "fillOpacity": fill_base,
        },
        highlight_function=lambda _f: {"weight": 3, "color": "#263238"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=False),
        control=False,
    ).add_to(m)

    proj = projector(tiles)
    x0, y0, x1, y1 = _bounds_of(gj)
    set_view(m, [(y0, x0), (y1, x1)])
    if labels:
        _JsPoints(label_rows(proj), kind="label", name="区县名称", control=False).add_to(m)
    if towns:
        _JsPoints([[*proj(d.lon, d.lat), esc(d.label), int(d.approximate)] for d in town_dots(gazetteer)],
                  kind="dot", name="乡镇驻地（空心虚线为估计位置）").add_to(m)
    if fullscreen:
        folium.plugins.Fullscreen(position="topleft", title="全屏", title_cancel="退出全屏").add_to(m)
    return localize(m)


def in_pane(layer, pane: str):
    """Put a folium vector layer in a custom pane (folium's path options drop ``pane``)."""
    layer.options["pane"] = pane
    return layer


def finish(m: folium.Map) -> folium.Map:
    folium.LayerControl(collapsed=True).add_to(m)
    return localize(m)


def stable_color(key: str) -> str:
    """A palette colour that stays the same for a key across runs."""
    return PALETTE[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(PALETTE)]


def points_of(cases: Iterable[PetitionCase]) -> list[tuple[float, float]]:
    """``(lon, lat)`` of the cases that have a coordinate."""
    return [(c.location.lon, c.location.lat) for c in cases if c.location.has_point]
