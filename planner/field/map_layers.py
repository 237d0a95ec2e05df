"""Map layers on the offline basemap: case map, cluster map, candidate visits and routes (with the day's timeline).

Public API
----------
``case_map(cases, *, color_by="status", today, clusters=(), tiles=None, heat=True, gazetteer=None) -> CaseMap``
``cluster_map(cluster, cases, *, hotspots=(), tiles=None, gazetteer=None) -> folium.Map``
``route_map(routes, visits, teams=None, *, tiles=None, marks=None) -> folium.Map``
``candidates_map(visits, *, tiles=None, gazetteer=None) -> folium.Map`` (visits chosen for a trip, before planning)
``route_timeline(route, visits) -> list[TimelineRow]``
``case_no_from_tooltip(text, known) -> str | None``
``written_villages(session, case_nos) -> dict[str, WrittenVillage]``, ``written_place(location, written) -> str``
    The villages letters name but the import did not find, and the place as the field sheets write it then
    (``漳浦县旧镇镇后江村（村表无此村，待核对）``), for tooltips and the case map's detail.

Every string from users (case numbers, summaries, place names, team names) is ``html.escape``\\ d before it
reaches a tooltip or label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import folium
import folium.plugins

from planner.domain import ZHANGZHOU_BBOX, CaseStatus, Cluster, Location, PetitionCase, Route, Team, Visit, hhmm
from planner.errors import InputError
from planner.field.maps import (
    OTHER_COLOR,
    PALETTE,
    MapLegend,
    MapTiles,
    base_map,
    county_code_of,
    esc,
    finish,
    in_pane,
    js_literal,
    projector,
    set_view,
)
from planner.field.model import _break_leg  # one rule for sheets and maps: a break after the return is none
from planner.field.stop_state import DONE, STATE_STYLE, WAITING, group_state, legend, stop_state
from planner.field.visit_times import window_text
from planner.places.estimates import (
    WrittenVillage,
    county_wide,
    location_point,
    names_only_town,
    point_name,
    shared_point_words,
    written_village,
)

if TYPE_CHECKING:
    from planner.places.gazetteer import Gazetteer

#: ``gazetteer`` arguments below: the office gazetteer, so that the basemap's town seats are the office's points
#: (imported or corrected) and only the remaining estimates are drawn as approximate (``maps.town_dots``).

STATUS_COLORS: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "#1565c0",
    CaseStatus.SELECTED: "#6a1b9a",
    CaseStatus.PLANNED: "#ef6c00",
    CaseStatus.VISITED: "#00838f",
    CaseStatus.RESOLVED: "#2e7d32",
    CaseStatus.CLARIFIED: "#9e9d24",
    CaseStatus.CLOSED: "#757575",
}
#: Leaflet z-index offsets: stop numbers above every other marker, the 午休 label below them.
STOP_Z, BREAK_Z = 1000, -1000
#: The 午休 label (80×18 px) hangs just below its leg's middle, clear of a level leg's two stops.
BREAK_ANCHOR = (40, -8)
DEADLINE_COLORS = {"overdue": "#c62828", "at_risk": "#f9a825", "ok": "#2e7d32"}
DEADLINE_LABELS = {"overdue": "已超期", "at_risk": "临近期限", "ok": "期限内"}
COLOR_BY = {"status": "办理状态", "category": "问题类别", "deadline": "办理期限", "cluster": "关联问题"}


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
    cases: Sequence[PetitionCase], color_by: str, today: dt.date, clusters: Sequence[Cluster], at_risk_days: int
) -> tuple[list[str], tuple[LegendItem, ...]]:
    if color_by == "status":
        keys = [c.status for c in cases]
        counts = Counter(keys)
        legend = tuple(LegendItem(s.label, STATUS_COLORS[s], counts[s]) for s in CaseStatus if counts[s])
        return [STATUS_COLORS[k] for k in keys], legend
    if color_by == "deadline":
        keys = [c.deadline_state(today, at_risk_days=at_risk_days) for c in cases]
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
    raise InputError(f"着色方式应为 {'、'.join(COLOR_BY)} 之一，收到 {color_by!r}")


#: Above this many cases the tooltips leave out the summary (keeps the page light for 10,000 letters).
SUMMARY_LIMIT = 2000


def _case_callback(tables: dict[str, list[str]]) -> str:
    """The FastMarkerCluster callback: a circle marker per row ``[lat, lon, no, colour, category, status,
    place, summary]`` (indices into ``tables``); the tooltip is assembled in the browser from escaped
    strings, in the same form as :func:`case_tooltip`."""
    return (
        "(function () { var T = " + js_literal(tables) + ";\n"
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


def written_villages(session: object, case_nos: Collection[str]) -> dict[str, WrittenVillage]:
    """The village each of ``case_nos`` names but the import could not match, read from its place note as the
    database holds it now (:func:`planner.places.estimates.written_village`); letters without one are left out."""
    from sqlalchemy import select

    from planner.store.models import CaseRow

    nos = sorted(set(case_nos))
    out: dict[str, WrittenVillage] = {}
    for i in range(0, len(nos), 900):  # within every backend's limit of bound parameters
        for no, note in session.execute(select(CaseRow.case_no, CaseRow.geocode_message)
                                        .where(CaseRow.case_no.in_(nos[i:i + 900]))).all():
            if (w := written_village(note or "")) is not None:
                out[no] = w
    return out


def written_place(location: Location, written: WrittenVillage | None) -> str:
    """The place as the field sheets write it (``planner.field.model.CaseInfo.place_text``): a village the letter
    names but the import did not find keeps its name and says so, ``漳浦县旧镇镇后江村（村表无此村，待核对）``."""
    if written is not None and not location.village:
        return f"{location.county}{location.town or written.town}{written.heading()}"
    return location.place_name()


def case_tooltip(case: PetitionCase, summary: str | None = None, written: WrittenVillage | None = None) -> str:
    """Tooltip HTML of a case: number first (the page reads it back on click), then a short summary (``summary``:
    the page's masked one, with the letter's own writer withheld; else the case's, which cannot know the name);
    the place names a village the letter wrote that the import did not find (``written``)."""
    place = written_place(case.location, written)
    return (
        f"<b>{esc(case.case_no)}</b>｜{esc(case.category or '未分类')}｜{esc(case.status.label)}"
        f"<br>{esc(place)}<br>{esc(case.summary(40) if summary is None else summary)}"
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
    gazetteer: Gazetteer | None = None,
    summaries: Mapping[str, str] | None = None,
    written: Mapping[str, WrittenVillage] | None = None,
    categories: Mapping[str, str] | None = None,
    at_risk_days: int = 10,
) -> CaseMap:
    """Map of petition cases: county choropleth of open cases, clustered case points, a heat layer.

    Parameters
    ----------
    cases
        The cases to draw (already filtered); those without a coordinate are listed in ``unplaced``.
    today
        For deadline colours.
    at_risk_days
        The office's 期限预警 (设置): a letter due within as many days is coloured 临近期限.
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
    gazetteer
        The office gazetteer, for the basemap's town seats.
    summaries
        Case number -> the summary a tooltip shows (``planner.store.cases.masked_summaries``: the letter's own writer
        withheld); a case missing from it gets its own :meth:`~planner.domain.PetitionCase.summary`.
    written
        Case number -> the village its letter names but the import did not find (:func:`written_villages`): its
        tooltip and the ≈ marker of its estimated point name it, as the field sheets do.
    categories
        Case number -> its category as people read it (``planner.store.register_fields.category_labels``: the
        register's word, an inference said to be one) for the tooltip; colours stay by the stored category.

    Returns
    -------
    CaseMap
    """
    open_by_county = Counter(county_code_of(c.location.county_code) for c in cases if c.status.is_open)
    open_by_county.pop("", None)
    m = base_map(tiles=tiles, counts=dict(open_by_county) if choropleth else None, towns=len(cases) < 3000,
                 gazetteer=gazetteer)
    placed = [c for c in cases if c.location.has_point]
    colors, legend = _case_colors(placed, color_by, today, clusters, at_risk_days)
    proj = projector(tiles)
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
        category = (categories or {}).get(c.case_no) or c.category or "未分类"
        row = [round(lat, 5), round(lon, 5), esc(c.case_no), ix("colors", col), ix("categories", esc(category)),
               ix("statuses", esc(c.status.label)),
               ix("places", esc(written_place(c.location, (written or {}).get(c.case_no))))]
        if with_summary:
            row.append(ix("summaries", esc((summaries or {}).get(c.case_no) or c.summary(40))))
        rows.append(row)
    folium.plugins.FastMarkerCluster(
        rows, callback=_case_callback(tables), name="信访件", disableClusteringAtZoom=14, chunkedLoading=True,
        spiderfyOnMaxZoom=True, showCoverageOnHover=False, maxClusterRadius=50,
    ).add_to(m)
    if heat and placed:
        weights = [[round(r[0], 4), round(r[1], 4), 1.0 if c.status.is_open else 0.3]
                   for r, c in zip(rows, placed, strict=True)]
        folium.plugins.HeatMap(weights, name="热力图", show=False, radius=18, blur=22, min_opacity=0.3).add_to(m)
    for layer in approximate_layers(placed, proj, written):
        layer.add_to(m)
    # Walk U: opened at the fixed zoom, Zhangzhou filled a quarter of the desktop frame and the markers ran into one
    # another: open on the letters shown, else on Zhangzhou (a single letter is not zoomed to street level).
    if rows:
        lats, lons = [r[0] for r in rows], [r[1] for r in rows]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    else:
        x0, y0, x1, y1 = ZHANGZHOU_BBOX
        (s, w), (n, e) = proj(x0, y0), proj(x1, y1)
        bounds = [[s, w], [n, e]]
    m.fit_bounds(bounds, padding=(24, 24), max_zoom=12)
    # Whole-number zooms left letters across the city on half the 560 px frame (the next step did not fit): fit
    # in quarter steps so they fill it; the +/- buttons still zoom a whole step.
    m.options["zoom_snap"] = 0.25
    return CaseMap(
        map=finish(m),
        legend=legend,
        shown=len(placed),
        unplaced=tuple(c.case_no for c in cases if not c.location.has_point),
        county_open=dict(open_by_county),
    )


#: Above this many estimated points their error circles start hidden (toggle them in the layer control).
CIRCLES_SHOWN_UP_TO = 30


def estimated_groups(cases: Sequence[PetitionCase]) -> dict[tuple[float, float], list[PetitionCase]]:
    """Cases whose point is an estimate (a town or county seat), grouped by that shared point."""
    out: dict[tuple[float, float], list[PetitionCase]] = {}
    for c in cases:
        if c.location.estimated:
            out.setdefault((c.location.lon, c.location.lat), []).append(c)
    return out


def approximate_layers(cases: Sequence[PetitionCase], proj: Callable,
                       written: Mapping[str, WrittenVillage] | None = None) -> tuple[folium.FeatureGroup, ...]:
    """A hollow '≈n' marker on every estimated point and a dashed circle as far as the places may be; the marker
    names the villages its letters wrote that the import did not find (``written``, by case number)."""
    groups = estimated_groups(cases)
    marks = folium.FeatureGroup(name="估计位置（≈ 乡镇/县驻地，非实际地点）", show=True)
    circles = folium.FeatureGroup(name="估计位置的误差范围", show=len(groups) <= CIRCLES_SHOWN_UP_TO)
    for (lon, lat), group in groups.items():
        y, x = proj(lon, lat)
        where = point_name(group[0].location) or "驻地"  # a zone village's point is its zone's (walk R)
        reach = shared_point_words(c.location for c in group)  # a town's seat bound is not the letters' (walk K)
        # A village a letter names that the table lacks is said as the field sheets say it: the officer asks for it.
        named = dict.fromkeys(w.heading() for c in group if (w := (written or {}).get(c.case_no)) is not None)
        tip = (f"估计位置：{len(group)} 件共用{where}驻地点（未到村）" + (f"，{reach}" if reach else "")
               + (f"；信中写的村：{'、'.join(named)}" if named else "") + "；可在案件详情中校准")
        # No circle where it says nothing true and useful (walk U: circles over most of the city): letters naming
        # only a town may be anywhere in it whatever the seat's bound, and a county-wide bound is the county's outline.
        told = [c.location for c in group if not names_only_town(c.location)]
        km = max((loc.precision_km or 0.0) for loc in told) if told else 0.0
        if km and not all(county_wide(loc) for loc in told):
            folium.Circle([y, x], radius=km * 1000, color="#6d4c41", weight=1, dash_array="6 6", fill=False,
                          interactive=False).add_to(circles)
        folium.Marker(
            [y, x], tooltip=esc(tip),
            icon=folium.DivIcon(
                html=('<div class="xf-approx" style="width:26px;height:26px;margin:-13px 0 0 -13px;'
                      "border:2px dashed #6d4c41;border-radius:50%;background:rgba(255,255,255,.75);"
                      "font:bold 11px sans-serif;color:#4e342e;text-align:center;line-height:22px"
                      f'">≈{len(group)}</div>'),
                icon_size=(26, 26),
            ),
        ).add_to(marks)
    return (circles, marks) if groups else ()


# ---------------------------------------------------------------------------------------------- cluster map


def hotspot_point(hotspot: Cluster, cases: Sequence[PetitionCase]) -> tuple[tuple[float, float], str] | None:
    """Where a hotspot's ring stands, ``((lon, lat), words)``: the point of its letters placed at the place its
    label names (the one most of them share; else the one most of its letters share), and what that point is and
    how far off it may be; ``None`` when none of its letters has a point or they share no place (多地). Never the
    mean of its letters' points, which is no place (walk W14: the ring of 梧宅村 stood over 龙海区, between seven
    letters of four counties)."""
    place = hotspot_place(hotspot.label)
    if place == "多地":  # letters sharing no place (planner.analysis.summaries) have no one point
        return None
    members = set(hotspot.case_nos)
    mine = [c for c in cases if c.case_no in members and c.location.has_point]
    at = [c.location for c in mine if place and (
        place in (c.location.village, c.location.town, c.location.county)
        or place in c.location.county + c.location.town + c.location.village or place in c.address_text)]
    named = bool(at)  # else its letters' own point (a village the import did not find is at its town's seat)
    at = at or [c.location for c in mine]
    if not at:
        return None
    (lon, lat), _n = Counter((loc.lon, loc.lat) for loc in at).most_common(1)[0]
    here = [loc for loc in at if (loc.lon, loc.lat) == (lon, lat)]
    if not named:
        own = f"（未定位到{place}）"
    elif place in (here[0].town, here[0].county) or not here[0].estimated:
        own = ""
    else:
        own = f"（{place}无自己的点位）"
    if any(loc.estimated for loc in here):
        seat = location_point(here[0]) or f"{point_name(here[0]) or '驻地'}驻地"
        reach = shared_point_words(here)
        words = f"点在{seat}{own}" + (f"，{reach}" if reach else "")
    else:
        km = min((loc.precision_km for loc in here if loc.precision_km), default=0.0)
        spot = place if named else (here[0].village or here[0].town or here[0].county)
        words = f"点在{spot}的点位{own}" + (f"（误差约 {km:g} km）" if km else "")
    return (lon, lat), words


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
    gazetteer: Gazetteer | None = None,
    summaries: Mapping[str, str] | None = None,
    written: Mapping[str, WrittenVillage] | None = None,
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
    m = base_map(tiles=tiles, highlight=counties, gazetteer=gazetteer)
    proj = projector(tiles)
    by_no = {c.case_no: c for c in mine}
    group = folium.FeatureGroup(name="信访件")
    for c in mine:
        if c.location.has_point:
            in_pane(folium.CircleMarker(
                proj(c.location.lon, c.location.lat), radius=7, color="#ffffff", weight=1.5, fill=True,
                fill_color="#c62828", fill_opacity=0.95,
                tooltip=case_tooltip(c, (summaries or {}).get(c.case_no), (written or {}).get(c.case_no)),
            ), "cases").add_to(group)
    group.add_to(m)
    spots = folium.FeatureGroup(name="热点")
    for h in hotspots:
        if h.size < 2:  # a single letter is not a hotspot worth marking; its dot is already on the map
            continue
        found = hotspot_point(h, list(by_no.values()))
        if found is None:  # no letter of it stands at the place it names: no ring anywhere else
            continue
        (lat, lon), words = proj(*found[0]), found[1]
        place = hotspot_place(h.label)
        in_pane(folium.CircleMarker(
            (lat, lon), radius=12 + 2 * min(h.size, 8), color="#b71c1c", weight=3, fill=False, dash_array="6 4",
            tooltip=f"热点：{esc(h.label)}（{h.size} 件）；{esc(words)}",
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
        set_view(m, pts)
    return finish(m)


# ---------------------------------------------------------------------------------------------- candidates


PRIORITY_COLORS = {1: "#90a4ae", 2: "#4fc3f7", 3: "#1565c0", 4: "#ef6c00", 5: "#c62828"}


def candidates_map(visits: Sequence[Visit], *, tiles: MapTiles | None = None,
                   gazetteer: Gazetteer | None = None) -> folium.Map:
    """Map of the visits chosen for a trip: one dot per visit, coloured by priority, sized by its cases.

    Must-visits have a thick dark ring. Tooltips give the place, priority and case numbers.
    """
    m = base_map(tiles=tiles, gazetteer=gazetteer)
    proj = projector(tiles)
    group = folium.FeatureGroup(name="拟走访点")
    pts = []
    for v in visits:
        p = proj(v.lon, v.lat)
        pts.append(p)
        cases = "、".join(esc(n) for n in v.case_nos)
        in_pane(folium.CircleMarker(
            p, radius=6 + 2 * min(len(v.case_nos), 5), color="#212121" if v.must else "#ffffff",
            weight=3 if v.must else 1.5, fill=True, fill_color=PRIORITY_COLORS.get(v.priority, "#1565c0"),
            fill_opacity=0.95,
            tooltip=(f"<b>{esc(v.label or v.visit_id)}</b>｜优先级 {v.priority}" + ("｜必访" if v.must else "")
                     + (f"<br>{cases}" if cases else "")),
        ), "cases").add_to(group)
    group.add_to(m)
    if len(pts) >= 2:
        set_view(m, pts)
    return finish(m)


# ---------------------------------------------------------------------------------------------- route map


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of a day's timeline beside the route map."""

    start: str  # HH:MM
    end: str
    kind: str  # depart | travel | visit | break | return
    text: str


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
    fit_px: tuple[int, int] = (600, 420),
    places: Mapping[str, str] | None = None,
    marks: Mapping[str, str] | None = None,
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
    fit_px
        Width and height in pixels that the whole route must fit in at the first view (a phone's map is narrow).
    places
        Visit id -> the place a stop's tooltip names instead of the visit's label: the stop as the field sheets
        write it (``StopSheet.place``), e.g. a village the letter names that the table lacks,
        ``漳浦县旧镇镇后江村（村表无此村，待核对）`` where the label says ``漳浦县旧镇镇``.
    marks
        Visit id -> what was recorded there as 行程 marks the stop (:func:`planner.field.day.done_mark`; ``""`` or
        absent: still to visit). Given, each stop is coloured by its state as the offline map colours it
        (:mod:`planner.field.stop_state`: 已完成 grey and ticked, 部分完成 purple, 已改期/未找到 amber, the rest red),
        its tooltip says the mark, and a legend says the colours once a stop is recorded.

    Raises
    ------
    InputError
        If a stop names a visit that is not in ``visits``.
    """
    teams = teams or {}
    m = base_map(tiles=tiles, towns=False)
    proj = projector(tiles)
    # One colour per route (team and day), so that two days of one team are told apart.
    keys = sorted({(r.team_id, r.date) for r in routes})
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    bounds: list[tuple[float, float]] = []
    bases_drawn: set[str] = set()
    drawn: list[str] = []  # each stop marker's state (with ``marks``), for the legend
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
                raise InputError(f"线路 {r.team_id} {r.date}：站点 {s.visit_id!r} 不在走访点中")
            pts.append(proj(v.lon, v.lat))
        if base:
            pts.append(base)
        if len(pts) >= 2:
            line = folium.PolyLine(pts, color=color, weight=4, opacity=0.85,
                                   tooltip=f"{tname} {r.date.isoformat()}：{r.distance_m / 1000:.1f} km")
            in_pane(line, "routes").add_to(group)
        brk = _break_leg(r)
        # Leg i joins pts[i] and pts[i + 1] when the base is drawn; without a base only inner legs exist.
        leg = None if brk is None else (brk if base else (brk - 1 if 0 < brk < len(r.stops) else None))
        if leg is not None and leg + 1 < len(pts):
            a, b = pts[leg], pts[leg + 1]
            folium.Marker(
                ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2),
                # Below the leg's middle, not on it, and under the stops: on a phone the two stops of a short leg
                # are close, and a label centred there hid stop 2's number (walk 2, 390 px).
                icon=folium.DivIcon(html=f'<div class="xf-break">午休 {hhmm(r.break_start_min)}</div>',
                                    icon_size=(80, 18), icon_anchor=BREAK_ANCHOR, class_name="xf-empty"),
                tooltip=f"午休 {hhmm(r.break_start_min)}–{hhmm(r.break_end_min)}",
                z_index_offset=BREAK_Z,
            ).add_to(group)
        # Stops at one point (an estimated place several letters share) are one marker numbered 1·3 whose tooltip
        # lists each stop: drawn apart, the later marker hid the earlier number (walk 2, phone and offline maps).
        at_point: dict[tuple[float, float], list[tuple[int, str, str]]] = {}
        for i, s in enumerate(r.stops, start=1):
            v = visits[s.visit_id]
            cases = "、".join(esc(n) for n in v.case_nos)
            name = (places or {}).get(s.visit_id) or v.label or v.visit_id
            mark = (marks or {}).get(s.visit_id, "")
            tip = (f"<b>{i}. {esc(name)}{f'（{esc(mark)}）' if mark else ''}</b><br>{hhmm(s.start_min)}–"
                   f"{hhmm(s.end_min)}（到达 {hhmm(s.arrive_min)}）"
                   + (f"<br>{esc(w)}" if (w := window_text(v)) else "") + (f"<br>{cases}" if cases else ""))
            pt = proj(v.lon, v.lat)
            at_point.setdefault((round(pt[0], 5), round(pt[1], 5)), []).append((i, tip, stop_state(mark)))
        for pt, stops in at_point.items():
            nos = "·".join(str(i) for i, _t, _s in stops)
            tip = "<br>".join(t for _i, t, _s in stops)
            if len(stops) > 1:
                tip = f"第 {nos.replace('·', '、')} 站在同一地点<br>{tip}"
            state = group_state(s for _i, _t, s in stops)
            drawn.append(state)
            tick = 10 if marks is not None and state == DONE else 0  # room for the tick after the numbers
            width = (24 + 14 * (len(stops) - 1) + 6 * sum(i >= 10 for i, _t, _s in stops) if len(stops) > 1
                     else 24) + tick
            wide = f";width:{width}px;border-radius:12px" if len(stops) > 1 or tick else ""
            fill, kind = (STATE_STYLE[state][1], f" xf-{state or 'waiting'}") if marks is not None else (color, "")
            folium.Marker(
                pt,
                icon=folium.DivIcon(html=f'<div class="xf-stop{kind}" style="--c:{fill}{wide}">{nos}</div>',
                                    icon_size=(width, 24), icon_anchor=(width // 2, 12), class_name="xf-empty"),
                tooltip=tip,
                z_index_offset=STOP_Z,  # a stop's number is never under a 午休 label
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
        set_view(m, bounds, width_px=fit_px[0], height_px=fit_px[1])
    if marks is not None and any(s != WAITING for s in drawn):
        MapLegend(legend(drawn)).add_to(m)
    return finish(m)
