"""Field packet and coordinators' exports: PDF 行程单, offline HTML map, nav links, ICS, GPX, KML, GeoJSON, Excel, zip.

Public API
----------
``load_document(source) -> PlanDocument``
    plan.json path, dict or ``PlanDocument`` (read with ``planner.routing.planio``).
``build_itinerary(doc, team_id, date, *, petitioners=None, actor=None, unmask=False, reason="", session=None)``
    One team-day as an :class:`Itinerary` (stops, cases, lunch break); identity masked unless unmasked.
``itineraries(doc, *, team_id=None, date=None, **kw) -> list[Itinerary]``
    All (or some) team-days, sorted by date then team.
``render(fmt, items, *, unassigned=()) -> bytes``
    One format: ``pdf html ics gpx kml geojson xlsx zip gpkg shp`` (see :data:`FORMATS`).
``nav_links(lon, lat, name) -> NavLinks``
    Amap (GCJ-02) and Baidu (BD-09) driving links for a WGS-84 point.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from planner.errors import InputError, PermissionDenied
from planner.field.model import (
    CaseInfo,
    Itinerary,
    StopSheet,
    TimelineRow,
    build_itinerary,
    enrich_cases,
    itineraries,
    load_document,
    load_petitioners,
)
from planner.field.navlinks import NavLinks, nav_links

#: Format -> (file suffix, MIME type).
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "html": ("html", "text/html"),
    "ics": ("ics", "text/calendar"),
    "gpx": ("gpx", "application/gpx+xml"),
    "kml": ("kml", "application/vnd.google-earth.kml+xml"),
    "geojson": ("geojson", "application/geo+json"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "zip": ("zip", "application/zip"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
    "shp": ("shp.zip", "application/zip"),
}

#: Formats that render exactly one team-day.
SINGLE_DAY = frozenset({"html"})


def render(fmt: str, items: Itinerary | Iterable[Itinerary], *,
           unassigned: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """Render itineraries in one format.

    Parameters
    ----------
    fmt
        One of :data:`FORMATS`.
    items
        One itinerary, or several (``html`` takes exactly one).
    unassigned
        ``(visit_id, place, reason)`` rows for the workbook (``xlsx``/``zip``).

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        Unknown format, or several itineraries for a one-day format.
    """
    fmt = str(fmt).lower().strip()
    its = [items] if isinstance(items, Itinerary) else list(items)
    if fmt not in FORMATS:
        raise InputError(f"导出格式应为 {'、'.join(FORMATS)} 之一，收到 {fmt!r}")
    if not its:
        raise InputError("没有可导出的行程：计划中没有符合所选条件的线路")
    if fmt in SINGLE_DAY and len(its) != 1:
        raise InputError(f"格式 {fmt!r} 只能导出一个组一天的行程，请指定 --team 和 --date（现选中 {len(its)} 个组日）")
    if fmt == "pdf":
        from planner.field.pdf import to_pdf

        return to_pdf(its)
    if fmt == "html":
        from planner.field.html_map import to_html

        return to_html(its[0])
    if fmt == "ics":
        from planner.field.ics import to_ics

        return to_ics(its)
    if fmt == "gpx":
        from planner.field.gpx import to_gpx

        return to_gpx(its)
    if fmt == "kml":
        from planner.field.kml import to_kml

        return to_kml(its)
    if fmt == "geojson":
        from planner.field.geojson import to_geojson

        return to_geojson(its)
    if fmt == "xlsx":
        from planner.field.xlsx import to_xlsx

        return to_xlsx(its, unassigned=unassigned)
    if fmt in ("gpkg", "shp"):
        from planner.field.gis import plan_gis

        return plan_gis(its, fmt)
    from planner.field.packet import to_zip

    return to_zip(its, unassigned=unassigned)


#: Chinese button labels of the formats (the 行程 page and the CLI help use them).
LABELS: dict[str, str] = {
    "pdf": "行程单 PDF",
    "html": "离线地图 HTML",
    "ics": "日历 ICS",
    "gpx": "GPX 航点",
    "kml": "KML",
    "geojson": "GeoJSON",
    "xlsx": "Excel 汇总",
    "zip": "整包 zip",
    "gpkg": "GeoPackage（GIS）",
    "shp": "Shapefile（GIS, zip）",
}


def file_name(fmt: str, it: Itinerary | None = None, *, unmasked: bool = False) -> str:
    """Download file name people read: ``第一检查组_2026-12-07.pdf`` for a team-day, ``下访行程汇总.xlsx`` for a whole
    plan; ``…_含信访人身份.pdf`` when it carries full names and phones (walk J: named like the masked file, it was
    easy to forward by mistake). (Entries inside a zip keep ASCII names, ``T1_2026-12-07.pdf``.)"""
    suffix = FORMATS[fmt][0]
    mark = "_含信访人身份" if unmasked else ""
    if it is None:
        return f"下访行程汇总{mark}.{suffix}"
    team = re.sub(r'[\\/:*?"<>|\s]+', "_", (it.team.name or it.team.team_id).strip()) or it.team.team_id
    return f"{team}_{it.date.isoformat()}{mark}.{suffix}"


def export_plan(
    doc: Any,
    fmt: str,
    *,
    team_id: str | None = None,
    date: dt.date | str | None = None,
    session: Any = None,
    contacts: bool = False,
    actor: Any = None,
    unmask: bool = False,
    reason: str = "",
    plan_id: int | None = None,
    today: dt.date | None = None,
) -> bytes:
    """Render a team-day, a team, a day or the whole plan in one format, optionally with petitioner contacts.

    Parameters
    ----------
    doc
        The plan document.
    fmt
        One of :data:`FORMATS`.
    team_id, date
        Narrow the choice; both None means the whole plan.
    session
        Needed for ``contacts`` (read from the database) and for ``unmask`` (audit row, flushed; the caller
        commits).
    contacts
        Add each case's petitioner contact, masked (张** 138****1234) unless ``unmask``; never for officers, and
        never for a petitioner who asked for confidentiality (保密), masked or unmasked: the sheet says
        “信访人要求保密，不附联系方式” there, and the audit row of an unmasked export leaves that case out.
    actor, unmask, reason
        The signed-in user: only their teams' routes are exported (all teams for admins and coordinators), and
        contacts only of the cases they may see. None: a batch job with the whole plan. Unmasking needs the
        ``unmask`` permission; one audit row is written per call.
    plan_id, today
        The saved plan ``doc`` is (with ``session``): each team-day then carries what re-plans changed of it, as
        行程 tells the team (计划已于 … 调整（第 2 版）：…), and its stops recorded 改期 that a re-plan moved off it,
        marked 已改期 (:mod:`planner.field.replanned`); ``today`` (None: the office's) words the notices. Each stop
        then also says what its team recorded there on the day (已完成, 已改期, 未找到，已记录), as 行程 marks
        it, and the day its progress (:mod:`planner.field.recorded`): the PDF, offline map, Excel, ICS, GPX and
        KML alike.

    Returns
    -------
    bytes

    Raises
    ------
    InputError, NotFoundError, PermissionDenied
    """
    case_nos = [c for v in doc.visits.values() for c in v.case_nos]
    if actor is not None and contacts and not unmask:
        from planner.office.authorisation import is_allowed

        # Field officers carry no petitioner details at all, not even masked ones (surname, part of a phone and
        # the village together point at a person); those who plan may attach them. (Unmasking is checked below.)
        if not is_allowed(actor, "export"):
            who = getattr(actor, "display_name", "") or getattr(actor, "username", "")
            raise PermissionDenied(f"{who} 无权在行程单中附信访人联系方式：干部的行程单不附"
                                   "（组长、协调员和管理员可附）")
    if session is not None:
        doc = enrich_cases(doc, session)  # today's details, e.g. a letter marked 保密 since the plan was saved
    if actor is not None:
        doc = _scoped(doc, actor, team_id)
        # The letters this file holds: of the chosen team and day only (walk H: a day's file was audited with all
        # the plan's letters).
        day = dt.date.fromisoformat(date) if isinstance(date, str) else date
        case_nos = [c for r in doc.plan.routes
                    if (team_id is None or r.team_id == team_id) and (day is None or r.date == day)
                    for stop in r.stops if stop.visit_id in doc.visits for c in doc.visits[stop.visit_id].case_nos]
        if session is not None and (contacts or unmask):
            from planner.office.authorisation import visible_case_nos

            # A plan.json names whatever cases it likes: contacts only of the cases this account may see.
            mine = visible_case_nos(actor, session, case_nos)
            case_nos = [c for c in case_nos if c in mine]
    petitioners = None
    if contacts or unmask:
        if session is None:
            raise InputError("信访人联系方式来自数据库，导出时需要数据库会话")
        petitioners = load_petitioners(session, case_nos)
    its = itineraries(doc, team_id=team_id, date=date, petitioners=petitioners, actor=actor, unmask=unmask,
                      reason=reason, session=session, audit_detail={"format": fmt})
    if session is not None and plan_id is not None:
        from planner.field.replanned import with_changes
        from planner.office.clock import local_today

        its = with_changes(its, session, doc, plan_id, today=today or local_today())
        from planner.field.recorded import with_outcomes

        its = with_outcomes(its, session, plan_id)  # each stop marked as 行程 marks it: 已完成, 已改期, 未找到
        case_nos += [c.case_no for it in its for s in it.put_off for c in s.cases]  # the file holds them too
    data = render(fmt, its, unassigned=unassigned_rows(doc))
    if session is not None and actor is not None and not unmask:  # an unmasked export has its own row
        from planner.office import audit

        audit.record(session, actor, "export", case_nos=tuple(dict.fromkeys(case_nos)), detail={
            "what": "itinerary", "format": fmt, "team": str(team_id or ""), "day": str(date or ""),
            "contacts": "masked" if contacts else "none",
            # the teams a whole-plan file holds: an officer's holds only theirs (walk W14b: audited as 整个计划)
            "teams": "" if team_id else ",".join(sorted({r.team_id for r in doc.plan.routes}))})
    return data


def _scoped(doc: Any, actor: Any, team_id: str | None) -> Any:
    """The part of ``doc`` that ``actor`` may download (their teams' routes only), checked like every export."""
    from planner.office.authorisation import TeamRef, authorise, filter_plan_for

    authorise(actor, "download_itinerary")
    if team_id is not None:
        authorise(actor, "download_itinerary", TeamRef(str(team_id)))
    doc = filter_plan_for(actor, doc)
    if not doc.plan.routes:
        raise PermissionDenied(f"{getattr(actor, 'username', '')!r} 无权下载该计划：其中没有本人所在或负责的组的线路")
    return doc


def unassigned_rows(doc: Any) -> list[tuple[str, str, str]]:
    """``(visit_id, place, reason)`` for the plan's unassigned visits (for the workbook's summary)."""
    rows = []
    for u in doc.plan.unassigned:
        v = doc.visits.get(u.visit_id)
        rows.append((u.visit_id, (v.label if v else ""), u.reason))
    return rows


__all__ = [
    "FORMATS",
    "LABELS",
    "CaseInfo",
    "Itinerary",
    "NavLinks",
    "StopSheet",
    "TimelineRow",
    "build_itinerary",
    "export_plan",
    "file_name",
    "itineraries",
    "load_document",
    "load_petitioners",
    "nav_links",
    "render",
    "unassigned_rows",
]
