"""Offline folium maps: county basemap, case map, cluster map and route map, with Leaflet served locally.

No CDN is ever contacted. Folium elements name their JavaScript/CSS by CDN URL (``default_js``,
``default_css``); :func:`localize` rewrites them to files vendored under ``static/vendor/`` (served by
Streamlit at ``/app/static/vendor/...`` with ``server.enableStaticServing``), dropping the jQuery/Bootstrap/
Font Awesome bundles these maps do not use. :func:`to_html` inlines the same files for saved, standalone
HTML. Without tiles the basemap is the 11 county polygons and the town seats; tile layers are an opt-in
online option (:class:`MapTiles`). When 高德 (Amap, GCJ-02) tiles are on, every overlay coordinate is shifted
to GCJ-02 through ``geodata.datum`` so that it lines up.

Public API
----------
``MapTiles(osm=False, tianditu_key="", amap=False)``
``base_map(*, tiles=None, counts=None, towns=True, height_px=None) -> folium.Map``
``case_map(cases, *, color_by="status", today, clusters=(), tiles=None, heat=True) -> CaseMap``
``cluster_map(cluster, cases, *, hotspots=(), tiles=None) -> folium.Map``
``route_map(routes, visits, teams=None, *, tiles=None) -> folium.Map``
``candidates_map(visits, *, tiles=None) -> folium.Map`` (visits chosen for a trip, before planning)
``route_timeline(route, visits) -> list[TimelineRow]``
``case_no_from_tooltip(text, known) -> str | None``
``localize(m) -> m``; ``to_html(m) -> str``; ``vendor_assets(dest=VENDOR_DIR) -> list[Path]``

Every string from users (case numbers, summaries, place names, team names) is ``html.escape``\\ d before it
reaches a tooltip or label.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import folium
import folium.plugins
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

import geodata
from planner.domain import CaseStatus, Cluster, PetitionCase, Route, Team, Visit, hhmm
from planner.errors import InputError

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

STATUS_COLORS: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "#1565c0",
    CaseStatus.SELECTED: "#6a1b9a",
    CaseStatus.PLANNED: "#ef6c00",
    CaseStatus.VISITED: "#00838f",
    CaseStatus.RESOLVED: "#2e7d32",
    CaseStatus.CLARIFIED: "#9e9d24",
    CaseStatus.CLOSED: "#757575",
}
DEADLINE_COLORS = {"overdue": "#c62828", "at_risk": "#f9a825", "ok": "#2e7d32"}
DEADLINE_LABELS = {"overdue": "已超期", "at_risk": "临近期限", "ok": "期限内"}
PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
)
OTHER_COLOR = "#9e9e9e"
#: Sequential reds for the county choropleth (0 cases: CHORO_EMPTY).
CHORO = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
CHORO_EMPTY = "#f5f5f5"
COLOR_BY = {"status": "办理状态", "category": "问题类别", "deadline": "办理期限", "cluster": "关联问题"}

_CSS = """
<style>
.leaflet-container { background: #dfe9f0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.xf-county-label { color: #37474f; font-size: 12px; font-weight: 600; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
.xf-stop { background: var(--c); color: #fff; border: 2px solid #fff; border-radius: 50%; width: 24px;
  height: 24px; line-height: 20px; text-align: center; font: 700 12px sans-serif; box-shadow: 0 0 3px #333; }
.xf-base { background: #263238; color: #fff; border: 2px solid var(--c); border-radius: 4px; width: 26px;
  height: 26px; line-height: 22px; text-align: center; font-size: 13px; box-shadow: 0 0 3px #333; }
.xf-break { background: #fff8e1; color: #6d4c41; border: 1px solid #8d6e63; border-radius: 10px;
  padding: 0 5px; font-size: 12px; white-space: nowrap; }
.xf-hotspot { color: #b71c1c; font-size: 12px; font-weight: 700; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.leaflet-tooltip { font-size: 13px; }
</style>
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

    @property
    def any(self) -> bool:
        """True when some tile layer is switched on."""
        return self.osm or bool(self.tianditu_key.strip()) or self.amap

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
    if key:
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


def _projector(tiles: MapTiles | None):  # noqa: ANN202 - returns (lon, lat) -> (lat, lon)
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
    proj = _projector(tiles)

    def walk(coords):  # noqa: ANN001, ANN202 - nested GeoJSON coordinate arrays
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
            f"map asset {url!r} is not vendored under static/vendor/; add it to planner.field.maps.ASSETS"
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


def _walk(element):  # noqa: ANN001, ANN202 - branca elements
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
        raise InputError(f"map HTML still loads {leftover[0]!r} from the network")
    return page


# ---------------------------------------------------------------------------------------------- basemap


_BLANK_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="


class _MapSetup(MacroElement):
    """Map-wide settings folium cannot express without a tile layer.

    - Zoom limits: folium only passes ``max_zoom`` to tile layers, and Leaflet.markercluster refuses a map
      without ``maxZoom``.
    - Leaflet creates its default marker image for every ``L.marker`` before folium swaps in our DivIcon;
      pointing it at an inline blank image stops those (404) image requests.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.setMaxZoom(18); {{ this._parent.get_name() }}.setMinZoom(6);"
        "L.Icon.Default.imagePath = '';"
        "L.Icon.Default.mergeOptions({iconUrl: '" + _BLANK_GIF + "', iconRetinaUrl: '" + _BLANK_GIF + "',"
        " shadowUrl: '" + _BLANK_GIF + "'});"
        "{% endmacro %}"
    )


def _js(value: object) -> str:
    """JSON for inline JavaScript (``</`` cannot close the script block)."""
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


class _JsPoints(folium.map.Layer):
    """Many small labels or dots drawn by one JavaScript loop: one folium element instead of hundreds keeps
    rendering fast (each folium element costs a template compile on the server).

    ``points`` are ``[lat, lon, text]`` with ``text`` already HTML-escaped.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (group) {
            var pts = {{ this.points_json }};
            for (var i = 0; i < pts.length; i++) {
                var p = pts[i];
                {%- if this.kind == "label" %}
                L.marker([p[0], p[1]], {interactive: false, keyboard: false, icon: L.divIcon({
                    className: "xf-empty", iconSize: [80, 16], iconAnchor: [40, 8],
                    html: '<div class="xf-county-label">' + p[2] + '</div>'})}).addTo(group);
                {%- else %}
                L.circleMarker([p[0], p[1]], {radius: 2, color: "#78909c", weight: 1, fill: true,
                    fillOpacity: 0.8}).bindTooltip(p[2]).addTo(group);
                {%- endif %}
            }
        })({{ this.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, points: list, *, kind: str, name: str, control: bool = True, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "JsPoints"
        self.kind = kind
        self.points_json = _js(points)


def _set_view(m: folium.Map, latlons: Sequence[tuple[float, float]], *, width_px: int = 600,
              height_px: int = 420, max_zoom: int = 14) -> None:
    """Centre and zoom the map on points in Python (``fitBounds`` in the browser runs before ``st_folium`` has
    given the map its size, and then fits nothing)."""
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
        if (max(lons) - min(lons)) / 360 * world <= width_px and (merc(max(lats)) - merc(min(lats))) / (
            2 * math.pi
        ) * world <= height_px:
            zoom = z
            break
    m.location = [(min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2]
    m.options["zoom"] = zoom


def _bounds_of(gj: dict) -> tuple[float, float, float, float]:
    """``(min lon, min lat, max lon, max lat)`` of a FeatureCollection."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):  # noqa: ANN001, ANN202
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
    labels
        Write county names on the map.

    Returns
    -------
    folium.Map
        Already localized (see :func:`localize`).
    """
    # keyboard=False: Leaflet focuses the map on mousedown for keyboard control; when the map reaches below the
    # fold, the browser then scrolls the page between mousedown and click, and the click misses the marker.
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True, min_zoom=7, max_zoom=18,
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

    proj = _projector(tiles)
    x0, y0, x1, y1 = _bounds_of(gj)
    _set_view(m, [(y0, x0), (y1, x1)])
    if labels:
        _JsPoints([[*proj(c.lon, c.lat), esc(c.name)] for c in geodata.counties()], kind="label",
                  name="区县名称", control=False).add_to(m)
    if towns:
        _JsPoints([[*proj(t.lon, t.lat), f"{esc(t.county)}{esc(t.name)}"] for t in geodata.towns()], kind="dot",
                  name="乡镇驻地").add_to(m)
    if fullscreen:
        folium.plugins.Fullscreen(position="topleft", title="全屏", title_cancel="退出全屏").add_to(m)
    return localize(m)


def _in_pane(layer, pane: str):  # noqa: ANN001, ANN202 - folium path layers
    """Put a folium vector layer in a custom pane (folium's path options drop ``pane``)."""
    layer.options["pane"] = pane
    return layer


def _finish(m: folium.Map) -> folium.Map:
    folium.LayerControl(collapsed=True).add_to(m)
    return localize(m)


# ---------------------------------------------------------------------------------------------- case map


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One colour of a map legend with how many points it has."""

    label: str
    color: str
    count: int


@dataclass(slots=True)
class CaseMap:
    """A case map with what a page shows beside it."""

    map: folium.Map
    legend: tuple[LegendItem, ...]
    shown: int  # cases drawn as points
    unplaced: tuple[str, ...]  # case numbers without a coordinate
    county_open: dict[str, int] = field(default_factory=dict)


def _case_colors(
    cases: Sequence[PetitionCase], color_by: str, today: dt.date, clusters: Sequence[Cluster]
) -> tuple[list[str], tuple[LegendItem, ...]]:
    if color_by == "status":
        keys = [c.status for c in cases]
        counts = Counter(keys)
        legend = tuple(LegendItem(s.label, STATUS_COLORS[s], counts[s]) for s in CaseStatus if counts[s])
        return [STATUS_COLORS[k] for k in keys], legend
    if color_by == "deadline":
        keys = [c.deadline_state(today) for c in cases]
        counts = Counter(keys)
        legend = tuple(
            LegendItem(DEADLINE_LABELS[k], DEADLINE_COLORS[k], counts[k]) for k in DEADLINE_COLORS if counts[k]
        )
        return [DEADLINE_COLORS[k] for k in keys], legend
    if color_by == "category":
        keys = [c.category or "未分类" for c in cases]
        order = [k for k, _n in Counter(keys).most_common()]
        colors = {k: PALETTE[i] if i < len(PALETTE) - 1 else OTHER_COLOR for i, k in enumerate(order)}
        counts = Counter(keys)
        legend = tuple(LegendItem(k, colors[k], counts[k]) for k in order)
        return [colors[k] for k in keys], legend
    if color_by == "cluster":
        # Issue clusters first (systemic, then larger), so colours go to the most useful groups.
        issues = sorted((c for c in clusters if c.kind == "issue"), key=lambda c: (not c.systemic, -c.size))
        of_case: dict[str, str] = {}
        for cl in issues:
            for no in cl.case_nos:
                of_case.setdefault(no, cl.cluster_id)
        keys = [of_case.get(c.case_no, "") for c in cases]
        counts = Counter(keys)
        colors = {cl.cluster_id: PALETTE[i] if i < len(PALETTE) else OTHER_COLOR for i, cl in enumerate(issues)}
        legend = tuple(
            LegendItem(cl.label or cl.cluster_id, colors[cl.cluster_id], counts[cl.cluster_id])
            for cl in issues[: len(PALETTE)] if counts[cl.cluster_id]
        )
        if counts[""]:
            legend += (LegendItem("未归入关联问题", OTHER_COLOR, counts[""]),)
        return [colors.get(k, OTHER_COLOR) for k in keys], legend
    raise InputError(f"color_by: expected one of {', '.join(COLOR_BY)}, got {color_by!r}")


#: Above this many cases the tooltips leave out the summary (keeps the page light for 10,000 letters).
SUMMARY_LIMIT = 2000


def _case_callback(tables: dict[str, list[str]]) -> str:
    """The FastMarkerCluster callback: a circle marker per row ``[lat, lon, no, colour, category, status,
    place, summary]`` (indices into ``tables``); the tooltip is assembled in the browser from escaped
    strings, in the same form as :func:`case_tooltip`."""
    return (
        "(function () { var T = " + _js(tables) + ";\n"
        "  return function (row) {\n"
        "    var m = L.circleMarker(new L.LatLng(row[0], row[1]), {pane: 'cases', radius: 7, color: '#ffffff',\n"
        "        weight: 1.5, fillColor: T.colors[row[3]], fillOpacity: 0.95});\n"
        "    var tip = '<b>' + row[2] + '</b>｜' + T.categories[row[4]] + '｜' + T.statuses[row[5]]\n"
        "        + '<br>' + T.places[row[6]] + (row.length > 7 ? '<br>' + T.summaries[row[7]] : '');\n"
        "    m.bindTooltip(tip);\n"
        "    return m;\n"
        "  };\n"
        "})()"
    )


def case_tooltip(case: PetitionCase) -> str:
    """Tooltip HTML of a case: number first (the page reads it back on click), then a short summary."""
    place = case.location.place_name()
    return (
        f"<b>{esc(case.case_no)}</b>｜{esc(case.category or '未分类')}｜{esc(case.status.label)}"
        f"<br>{esc(place)}<br>{esc(case.summary(40))}"
    )


def case_no_from_tooltip(text: str | None, known: Collection[str]) -> str | None:
    """The case number at the start of a clicked tooltip's text, if it is one of ``known``."""
    if not text:
        return None
    head = str(text).split("｜", 1)[0].strip()
    return head if head in known else None


def case_map(
    cases: Sequence[PetitionCase],
    *,
    today: dt.date,
    color_by: str = "status",
    clusters: Sequence[Cluster] = (),
    tiles: MapTiles | None = None,
    heat: bool = True,
    choropleth: bool = True,
) -> CaseMap:
    """Map of petition cases: county choropleth of open cases, clustered case points, a heat layer.

    Parameters
    ----------
    cases
        The cases to draw (already filtered); those without a coordinate are listed in ``unplaced``.
    today
        For deadline colours.
    color_by
        ``"status"``, ``"category"``, ``"deadline"`` or ``"cluster"`` (uses ``clusters``).
    clusters
        Issue clusters for ``color_by="cluster"``.
    tiles
        Optional online tiles.
    heat
        Add a heat-map layer (switched off at first; turn it on in the layer control).
    choropleth
        Colour counties by their number of open cases among ``cases``.

    Returns
    -------
    CaseMap
    """
    open_by_county = Counter(county_code_of(c.location.county_code) for c in cases if c.status.is_open)
    open_by_county.pop("", None)
    m = base_map(tiles=tiles, counts=dict(open_by_county) if choropleth else None, towns=len(cases) < 3000)
    placed = [c for c in cases if c.location.has_point]
    colors, legend = _case_colors(placed, color_by, today, clusters)
    proj = _projector(tiles)
    tables: dict[str, list[str]] = {"colors": [], "categories": [], "statuses": [], "places": [], "summaries": []}
    index: dict[str, dict[str, int]] = {k: {} for k in tables}

    def ix(table: str, value: str) -> int:
        pos = index[table].get(value)
        if pos is None:
            pos = index[table][value] = len(tables[table])
            tables[table].append(value)
        return pos

    with_summary = len(placed) <= SUMMARY_LIMIT
    rows = []
    for c, col in zip(placed, colors, strict=True):
        lat, lon = proj(c.location.lon, c.location.lat)
        row = [round(lat, 5), round(lon, 5), esc(c.case_no), ix("colors", col), ix("categories", esc(c.category or "未分类")),
               ix("statuses", esc(c.status.label)), ix("places", esc(c.location.place_name()))]
        if with_summary:
            row.append(ix("summaries", esc(c.summary(40))))
        rows.append(row)
    folium.plugins.FastMarkerCluster(
        rows, callback=_case_callback(tables), name="信访件", disableClusteringAtZoom=14, chunkedLoading=True,
        spiderfyOnMaxZoom=True, showCoverageOnHover=False, maxClusterRadius=50,
    ).add_to(m)
    if heat and placed:
        weights = [[round(r[0], 4), round(r[1], 4), 1.0 if c.status.is_open else 0.3] for r, c in zip(rows, placed, strict=True)]
        folium.plugins.HeatMap(weights, name="热力图", show=False, radius=18, blur=22, min_opacity=0.3).add_to(m)
    return CaseMap(
        map=_finish(m),
        legend=legend,
        shown=len(placed),
        unplaced=tuple(c.case_no for c in cases if not c.location.has_point),
        county_open=dict(open_by_county),
    )


# ---------------------------------------------------------------------------------------------- cluster map


def _centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def hotspot_place(label: str) -> str:
    """The place part of a hotspot label (``桉树、保证金（茶阳村）`` -> ``茶阳村``), else the label."""
    m = re.search(r"[（(]([^（）()]+)[）)]\s*$", label or "")
    return m.group(1) if m else (label or "")


def cluster_map(
    cluster: Cluster,
    cases: Sequence[PetitionCase],
    *,
    hotspots: Sequence[Cluster] = (),
    tiles: MapTiles | None = None,
) -> folium.Map:
    """Map of one issue across counties: its counties highlighted, its letters, its hotspots ringed.

    Parameters
    ----------
    cluster
        The issue (or repeat) cluster.
    cases
        Its letters (others are ignored).
    hotspots
        Hotspot clusters (one place with several letters); each is ringed and labelled with its size.
    """
    members = set(cluster.case_nos)
    mine = [c for c in cases if c.case_no in members]
    counties = set(cluster.county_codes) | {county_code_of(c.location.county_code) for c in mine}
    counties.discard("")
    m = base_map(tiles=tiles, highlight=counties)
    proj = _projector(tiles)
    by_no = {c.case_no: c for c in mine}
    group = folium.FeatureGroup(name="信访件")
    for c in mine:
        if c.location.has_point:
            _in_pane(folium.CircleMarker(
                proj(c.location.lon, c.location.lat), radius=7, color="#ffffff", weight=1.5, fill=True,
                fill_color="#c62828", fill_opacity=0.95, tooltip=case_tooltip(c),
            ), "cases").add_to(group)
    group.add_to(m)
    spots = folium.FeatureGroup(name="热点")
    for h in hotspots:
        if h.size < 2:  # a single letter is not a hotspot worth marking; its dot is already on the map
            continue
        pts = [
            (by_no[n].location.lon, by_no[n].location.lat) for n in h.case_nos
            if n in by_no and by_no[n].location.has_point
        ]
        if not pts:
            continue
        lat, lon = proj(*_centroid(pts))
        place = hotspot_place(h.label)
        _in_pane(folium.CircleMarker(
            (lat, lon), radius=12 + 2 * min(h.size, 8), color="#b71c1c", weight=3, fill=False, dash_array="6 4",
            tooltip=f"热点：{esc(h.label)}（{h.size} 件）",
        ), "cases").add_to(spots)
        folium.Marker(
            (lat, lon),
            icon=folium.DivIcon(html=f'<div class="xf-hotspot">{esc(place)} {h.size}件</div>',
                                icon_size=(140, 16), icon_anchor=(-16, 8), class_name="xf-empty"),
            interactive=False,
        ).add_to(spots)
    spots.add_to(m)
    pts = [proj(c.location.lon, c.location.lat) for c in mine if c.location.has_point]
    if len(pts) >= 2:
        _set_view(m, pts)
    return _finish(m)


# ---------------------------------------------------------------------------------------------- candidates


PRIORITY_COLORS = {1: "#90a4ae", 2: "#4fc3f7", 3: "#1565c0", 4: "#ef6c00", 5: "#c62828"}


def candidates_map(visits: Sequence[Visit], *, tiles: MapTiles | None = None) -> folium.Map:
    """Map of the visits chosen for a trip: one dot per visit, coloured by priority, sized by its cases.

    Must-visits have a thick dark ring. Tooltips give the place, priority and case numbers.
    """
    m = base_map(tiles=tiles)
    proj = _projector(tiles)
    group = folium.FeatureGroup(name="拟走访点")
    pts = []
    for v in visits:
        p = proj(v.lon, v.lat)
        pts.append(p)
        cases = "、".join(esc(n) for n in v.case_nos)
        _in_pane(folium.CircleMarker(
            p, radius=6 + 2 * min(len(v.case_nos), 5), color="#212121" if v.must else "#ffffff",
            weight=3 if v.must else 1.5, fill=True, fill_color=PRIORITY_COLORS.get(v.priority, "#1565c0"),
            fill_opacity=0.95,
            tooltip=(f"<b>{esc(v.label or v.visit_id)}</b>｜优先级 {v.priority}" + ("｜必访" if v.must else "")
                     + (f"<br>{cases}" if cases else "")),
        ), "cases").add_to(group)
    group.add_to(m)
    if len(pts) >= 2:
        _set_view(m, pts)
    return _finish(m)


# ---------------------------------------------------------------------------------------------- route map


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of a day's timeline beside the route map."""

    start: str  # HH:MM
    end: str
    kind: str  # depart | travel | visit | break | return
    text: str


def _break_leg(route: Route) -> int | None:
    """Index ``i`` of the leg (0 = base->first stop, len = last stop->base) in which the break falls."""
    if route.break_start_min is None:
        return None
    # The break never overlaps a visit, so it falls before the first stop whose service starts after it.
    return next((i for i, s in enumerate(route.stops) if route.break_start_min < s.start_min), len(route.stops))


def route_timeline(route: Route, visits: Mapping[str, Visit]) -> list[TimelineRow]:
    """The day as rows: departure, each leg's travel, each visit, the lunch break, the return.

    The break is shown where it falls: between two stops, arrival = end of previous visit + travel + break.
    """
    rows = [TimelineRow(hhmm(route.depart_min), hhmm(route.depart_min), "depart", "从驻地出发")]
    brk = _break_leg(route)
    prev_end = route.depart_min
    for i, s in enumerate(route.stops):
        v = visits.get(s.visit_id)
        name = (v.label if v and v.label else s.visit_id)
        if brk == i and route.break_start_min is not None:
            rows.append(TimelineRow(hhmm(route.break_start_min), hhmm(route.break_end_min), "break", "午休"))
        rows.append(TimelineRow(hhmm(prev_end), hhmm(s.arrive_min), "travel",
                                f"车程 {round(s.travel_s / 60)} 分钟，{s.distance_m / 1000:.1f} km"))
        cases = "、".join(v.case_nos) if v and v.case_nos else ""
        rows.append(TimelineRow(hhmm(s.start_min), hhmm(s.end_min), "visit",
                                f"{i + 1}. {name}" + (f"（{cases}）" if cases else "")))
        prev_end = s.end_min
    if brk == len(route.stops) and route.break_start_min is not None:
        rows.append(TimelineRow(hhmm(route.break_start_min), hhmm(route.break_end_min), "break", "午休"))
    rows.append(TimelineRow(hhmm(prev_end), hhmm(route.return_min), "return", "返回驻地"))
    return rows


def route_map(
    routes: Sequence[Route],
    visits: Mapping[str, Visit],
    teams: Mapping[str, Team] | None = None,
    *,
    tiles: MapTiles | None = None,
) -> folium.Map:
    """Map of routes: per team and day a line base -> stops -> base, numbered stops, the base, the break.

    Parameters
    ----------
    routes
        The routes to draw (e.g. one team's day, or a whole plan; each becomes a layer).
    visits
        Visits by id (coordinates, labels, case numbers).
    teams
        Teams by id, for names and base coordinates (without a team the line starts at the first stop).

    Raises
    ------
    InputError
        If a stop names a visit that is not in ``visits``.
    """
    teams = teams or {}
    m = base_map(tiles=tiles, towns=False)
    proj = _projector(tiles)
    # One colour per route (team and day), so that two days of one team are told apart.
    keys = sorted({(r.team_id, r.date) for r in routes})
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    bounds: list[tuple[float, float]] = []
    bases_drawn: set[str] = set()
    for r in sorted(routes, key=lambda r: (r.team_id, r.date)):
        color = colors[(r.team_id, r.date)]
        team = teams.get(r.team_id)
        tname = esc(team.name if team else r.team_id)
        group = folium.FeatureGroup(name=f"{tname} {r.date.isoformat()}（{len(r.stops)} 站）")
        pts: list[tuple[float, float]] = []
        base = proj(team.base_lon, team.base_lat) if team else None
        if base:
            pts.append(base)
        for s in r.stops:
            v = visits.get(s.visit_id)
            if v is None:
                raise InputError(f"route {r.team_id} {r.date}: stop {s.visit_id!r} is not among the visits")
            pts.append(proj(v.lon, v.lat))
        if base:
            pts.append(base)
        if len(pts) >= 2:
            line = folium.PolyLine(pts, color=color, weight=4, opacity=0.85,
                                   tooltip=f"{tname} {r.date.isoformat()}：{r.distance_m / 1000:.1f} km")
            _in_pane(line, "routes").add_to(group)
        brk = _break_leg(r)
        # Leg i joins pts[i] and pts[i + 1] when the base is drawn; without a base only inner legs exist.
        leg = None if brk is None else (brk if base else (brk - 1 if 0 < brk < len(r.stops) else None))
        if leg is not None and leg + 1 < len(pts):
            a, b = pts[leg], pts[leg + 1]
            folium.Marker(
                ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2),
                icon=folium.DivIcon(html=f'<div class="xf-break">午休 {hhmm(r.break_start_min)}</div>',
                                    icon_size=(80, 18), icon_anchor=(40, 9), class_name="xf-empty"),
                tooltip=f"午休 {hhmm(r.break_start_min)}–{hhmm(r.break_end_min)}",
            ).add_to(group)
        for i, s in enumerate(r.stops, start=1):
            v = visits[s.visit_id]
            cases = "、".join(esc(n) for n in v.case_nos)
            tip = (f"<b>{i}. {esc(v.label or v.visit_id)}</b><br>{hhmm(s.start_min)}–{hhmm(s.end_min)}"
                   f"（到达 {hhmm(s.arrive_min)}）" + (f"<br>{cases}" if cases else ""))
            folium.Marker(
                proj(v.lon, v.lat),
                icon=folium.DivIcon(html=f'<div class="xf-stop" style="--c:{color}">{i}</div>',
                                    icon_size=(24, 24), icon_anchor=(12, 12), class_name="xf-empty"),
                tooltip=tip,
            ).add_to(group)
        if team and base and r.team_id not in bases_drawn:
            bases_drawn.add(r.team_id)
            folium.Marker(
                base,
                icon=folium.DivIcon(html=f'<div class="xf-base" style="--c:{color}">驻</div>',
                                    icon_size=(26, 26), icon_anchor=(13, 13), class_name="xf-empty"),
                tooltip=f"{tname}驻地：{esc(team.base_name or '')}",
            ).add_to(group)
        group.add_to(m)
        bounds += pts
    if bounds:
        _set_view(m, bounds)
    return _finish(m)


def stable_color(key: str) -> str:
    """A palette colour that stays the same for a key across runs."""
    return PALETTE[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(PALETTE)]


def points_of(cases: Iterable[PetitionCase]) -> list[tuple[float, float]]:
    """``(lon, lat)`` of the cases that have a coordinate."""
    return [(c.location.lon, c.location.lat) for c in cases if c.location.has_point]
