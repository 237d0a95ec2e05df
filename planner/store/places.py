"""The office gazetteer in the database: saving imported and corrected places, loading them, re-locating cases."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

import geodata
from geodata import datum as _datum
from planner.domain import CaseStatus
from planner.errors import ConflictError, InputError, NotFoundError
from planner.office import audit
from planner.places.county_hint import hint_from_note
from planner.places.gazetteer import ESTIMATED, STORED_SOURCES, Gazetteer, Place, register_places
from planner.places.letters import OFF_ADDRESS, locate_letters
from planner.store.models import CaseHistory, CaseRow, FollowUpRow, PlaceRow, RectificationRow
from planner.store.place_choice import chosen_again, is_choice_note

#: Point sources of a case that the gazetteer must not move: the register gave the point, or a person set it.
FIXED_POINT_SOURCES = frozenset({"register", "case_corrected"})
_OPEN = tuple(s.value for s in CaseStatus if s.is_open)


def work_ahead():
    """The cases that still have work in the field: open, or settled with a 回访 / follow-up or a 整改 item not yet
    done (walk W17: 澳角村 was calibrated, its 已化解 letter with a 回访 due stayed at the old estimate — two points for
    one village on the officers' map, and the 回访 routed to the wrong one)."""
    return or_(CaseRow.status.in_(_OPEN),
               exists().where(FollowUpRow.case_id == CaseRow.id, FollowUpRow.done.is_(False)),
               exists().where(RectificationRow.case_id == CaseRow.id, RectificationRow.done.is_(False)))


def has_work_ahead(session: Session, case_no: str) -> bool:
    """Whether case ``case_no`` is open or has a 回访 / follow-up or 整改 item still to do (:func:`work_ahead`)."""
    return session.scalars(select(CaseRow.id).where(CaseRow.case_no == case_no, work_ahead())).first() is not None


def _place(row: PlaceRow) -> Place:
    return Place(level=row.level, name=row.name, lon=row.lon, lat=row.lat, source=row.source,
                 county_code=row.county_code, town_code=row.town_code, village_code=row.village_code,
                 county=row.county, town=row.town, village=row.village, precision_km=row.precision_km,
                 boundary_wkt=row.boundary_wkt, origin=row.origin)


def stored_places(session: Session) -> list[Place]:
    """Return the places kept in the database, oldest first."""
    return [_place(r) for r in session.scalars(select(PlaceRow).order_by(PlaceRow.id))]


def load_gazetteer(session: Session) -> Gazetteer:
    """Return the office gazetteer: stored places plus village points taught by register coordinates.

    Parameters
    ----------
    session
        Open session on a migrated database.

    Returns
    -------
    Gazetteer
        Empty when the office has no places yet (the built-in tables then answer alone).
    """
    rows = session.execute(
        select(CaseRow.county_code, CaseRow.town_code, CaseRow.village_code, CaseRow.village, CaseRow.town,
               CaseRow.lon, CaseRow.lat)
        .where(CaseRow.point_source == "register", CaseRow.village_code != "", CaseRow.lon.is_not(None))
    ).all()
    return Gazetteer.of([*register_places(rows), *stored_places(session)])


def save_places(session: Session, places: Sequence[Place], *, actor: object, origin: str) -> int:
    """Store places (imported or calibrated) and audit who brought which file in.

    Parameters
    ----------
    session
        Open session; the caller commits.
    places
        Places with a stored source (``imported``, ``corrected``, ``tianditu``).
    actor
        Who did it (an ``Actor`` or a user name).
    origin
        The file name (or "天地图").

    Returns
    -------
    int
        Number of rows stored.

    Raises
    ------
    InputError
        For a place whose source is not kept in the database.
    """
    who = getattr(actor, "username", None) or str(actor)
    for p in places:
        if p.source not in STORED_SOURCES:
            raise InputError(f"地名 {p.name!r} 的来源 {p.source!r} 不能保存，应为 {STORED_SOURCES} 之一")
        session.add(PlaceRow(**{f.name: getattr(p, f.name) for f in dataclasses.fields(p)}, created_by=who))
    levels: dict[str, int] = {}
    for p in places:
        levels[p.level] = levels.get(p.level, 0) + 1
    audit.record(session, actor, "gazetteer_import", reason=f"地名库导入 {origin}",
                 detail={"file": origin, "places": len(places), "levels": levels,
                         "sources": sorted({p.source for p in places})})
    session.flush()
    return len(places)


#: The case fields an address resolution sets (what a fresh import of the same letter would write).
_PLACE_FIELDS = ("county", "county_code", "town", "town_code", "village", "village_code", "lon", "lat", "precision",
                 "precision_km", "point_source", "geocode_message")
#: A note of the first import that re-resolving the address cannot rebuild (the register's own coordinates are gone).
_KEPT_NOTES = ("登记表坐标无效，已改用地址定位",)


def relocate_open_cases(session: Session, gazetteer: Gazetteer, *, who: str,
                        village_codes: Iterable[str] | None = None) -> int:
    """Re-resolve open cases with the gazetteer, as a fresh import of the same letters would; so too the settled ones
    with work still ahead (a pending 回访, follow-up or 整改 item: :func:`work_ahead`), whose next visit goes there.

    Every place field (county, town, village, point, precision, source) and the place message (定位说明)
    are those of a new import: a village the gazetteer now holds is named, a road gets its county, a
    town-seat note gives way to the village's own point (walk K: only the point used to move, so the
    fields and the message contradicted it). Cases whose point came from the register or was set by hand
    keep it; a register point inside an imported village boundary is assigned to that village. A case whose place a
    person chose among the candidates its address fits is placed at the chosen place read again, never at its
    address (:func:`planner.store.place_choice.chosen_again`: the village's own point once the gazetteer has one).

    Returns
    -------
    int
        Number of cases changed.
    """
    stmt = select(CaseRow).where(work_ahead())
    if village_codes is not None:
        stmt = stmt.where(CaseRow.village_code.in_(list(village_codes)))
    changed = 0
    movable, fresh = [], []
    for row in session.scalars(stmt):
        if row.point_source in FIXED_POINT_SOURCES:
            if row.lon is not None and gazetteer.boundaries:
                inside = gazetteer.place_at(row.lon, row.lat)
                if inside is not None and inside.village_code and inside.village_code != row.village_code:
                    _assign_village(session, row, inside, who)
                    changed += 1
            continue
        if is_choice_note(row.geocode_message):
            # A place a person chose: read again as the chosen place (kept as it is when that no longer reads).
            if (loc := chosen_again(row, gazetteer)) is not None:
                fresh.append((row, loc))
            continue
        movable.append(row)
    fresh += zip(movable, _fresh_locations(movable, gazetteer), strict=True)
    for row, loc in fresh:
        diff = {k: {"old": getattr(row, k), "new": loc[k]} for k in _PLACE_FIELDS if getattr(row, k) != loc[k]}
        if not diff:
            continue
        session.add(CaseHistory(case_id=row.id, who=who, action="relocate",
                                detail={"from": [row.lon, row.lat, row.point_source],
                                        "to": [loc["lon"], loc["lat"], loc["point_source"]],
                                        "changed": diff}))
        for k in _PLACE_FIELDS:
            setattr(row, k, loc[k])
        changed += 1
    session.flush()
    return changed


def _fresh_locations(rows: Sequence[CaseRow], gazetteer: Gazetteer) -> list[dict[str, object]]:
    """What a new import would write for these cases' addresses and contents (one batch: each text resolved once)."""
    if not rows:
        return []
    from types import SimpleNamespace

    parsed = [SimpleNamespace(values={"address_text": r.address_text or "", "content": r.content or ""})
              for r in rows]
    # The county a register named (云霄县…登记表) is read again for the addresses that were read within it.
    out = locate_letters(parsed, gazetteer, [hint_from_note(r.geocode_message or "") for r in rows])
    for row, loc in zip(rows, out, strict=True):
        kept = [n for n in _KEPT_NOTES if n in (row.geocode_message or "") and n not in str(loc["geocode_message"])]
        kept += [m.group(0) for m in OFF_ADDRESS.finditer(row.geocode_message or "")
                 if m.group(0) not in str(loc["geocode_message"])]  # a register point not taken (walk W35)
        if kept:
            loc["geocode_message"] = "；".join([str(loc["geocode_message"]), *kept]).strip("；")
    return out


def _assign_village(session: Session, row: CaseRow, place: Place, who: str) -> None:
    session.add(CaseHistory(case_id=row.id, who=who, action="assign_village",
                            detail={"from": row.village_code, "to": place.village_code, "by": "boundary"}))
    row.county_code, row.town_code, row.village_code = place.county_code, place.town_code, place.village_code
    row.county = place.county or row.county
    row.town = place.town or row.town
    row.village = place.village or place.name
    row.precision = "village"


def correct_point(session: Session, actor: object, *, lon: float, lat: float, datum: str = "wgs84",
                  case_no: str | None = None, village_code: str | None = None, town_code: str | None = None,
                  note: str = "", expected_version: int | None = None) -> dict:
    """Set the true point of a village (for every later letter) or of one case, and re-locate open cases and settled
    ones with a 回访 / follow-up or 整改 still ahead (:func:`work_ahead`).

    Parameters
    ----------
    session
        Open session; the caller commits.
    actor
        Who corrects (must be allowed to plan; checked with ``planner.office.security.require``).
    lon, lat
        The true point, in ``datum``.
    datum
        ``wgs84`` (GPS, 天地图), ``gcj02`` (高德), ``bd09`` (百度).
    case_no
        Correct this case only (its point becomes ``case_corrected``), unless ``village_code`` is also given.
    village_code
        Correct the village: stored as a ``corrected`` place, its open cases are moved there.
    town_code
        Correct a town's seat: its open cases without a better point follow.
    note
        Why (audit log).
    expected_version
        The version of ``case_no`` the form was shown at: a letter changed since is refused (walk W20).

    Returns
    -------
    dict
        ``{"lon", "lat", "village_code", "cases_moved"}``.

    Raises
    ------
    InputError
        Neither a case nor a village, a point outside Zhangzhou, or an unknown village code.
    PermissionDenied
        When the actor may not plan.
    ConflictError
        When ``case_no`` changed since ``expected_version``.
    """
    from planner.office.security import require
    from planner.store.cases import get_case_row

    require(actor, "plan")
    if not case_no and not village_code and not town_code:
        raise InputError("校准位置须指定信访件编号、村（社区）代码或乡镇代码")
    if case_no and expected_version is not None and (row := get_case_row(session, case_no)).version != expected_version:
        where = f"({row.lon:.6f}, {row.lat:.6f})" if row.lon is not None and row.lat is not None else "未定位"
        raise ConflictError(f"信访件 {case_no} 已由他人修改（位置现为 {where}；版本 {row.version}，你看到的是版本 "
                            f"{expected_version}）。你的校准没有保存：请刷新后再改")
    x, y = _datum.to_wgs84(float(lon), float(lat), _datum.normalize_datum(datum))
    hit = geodata.county_at(x, y)
    if hit.code is None:
        raise InputError(f"坐标 ({x:.5f}, {y:.5f}) 不在漳州市范围内，请检查经度、纬度和坐标系")
    who = getattr(actor, "username", None) or str(actor)
    moved = 0
    if village_code:
        v = _village(village_code)
        session.add(PlaceRow(level="village" if v.kind != "社区" else "community", name=v.name, source="corrected",
                             county_code=v.county_code, town_code=v.town_code or v.unit_code, village_code=v.code,
                             county=geodata.county_by_code(v.county_code).name, town=v.unit_name,
                             village=v.name, lon=x, lat=y, precision_km=0.5, origin=f"{who} 在地图上校准",
                             created_by=who))
        session.flush()
        moved = relocate_open_cases(session, load_gazetteer(session), who=who, village_codes=[v.code])
    if town_code and not village_code:
        t = geodata.town_by_code(town_code)
        session.add(PlaceRow(level="town", name=t.name, source="corrected", county_code=t.county_code,
                             town_code=t.code, county=t.county, town=t.name, lon=x, lat=y, precision_km=0.5,
                             origin=f"{who} 在地图上校准", created_by=who))
        session.flush()
        moved = relocate_open_cases(session, load_gazetteer(session), who=who,
                                    village_codes=[v.code for v in geodata.villages() if v.town_code == t.code] + [""])
    if case_no:
        row = get_case_row(session, case_no)
        if not village_code:
            session.add(CaseHistory(case_id=row.id, who=who, action="relocate",
                                    detail={"from": [row.lon, row.lat, row.point_source],
                                            "to": [x, y, "case_corrected"]}))
            row.lon, row.lat, row.point_source, row.precision_km = x, y, "case_corrected", 0.1
            if not row.county_code and hit.inside:
                # A letter whose address placed it nowhere now has a place: its county (for figures, 选件's county
                # filter and “地点”) is the one the point lies in; its town and village stay unknown.
                row.county_code, row.county = hit.code, hit.name
            moved += 1
    audit.record(session, actor, "place_correct", case_nos=[case_no] if case_no else [],
                 reason=note or "地图校准", detail={"village_code": village_code or "", "town_code": town_code or "",
                                                 "lon": round(x, 6),
                                                 "lat": round(y, 6), "datum": datum, "cases_moved": moved})
    session.flush()
    return {"lon": x, "lat": y, "village_code": village_code or "", "town_code": town_code or "",
            "cases_moved": moved}


def _village(code: str) -> geodata.Village:
    for v in geodata.villages():
        if v.code == code:
            return v
    raise NotFoundError(f"代码 {code!r} 不是漳州市的村（社区）代码（12 位，国家统计局 2023）")


def calibrate_online(session: Session, actor: object, codes: Sequence[str], key: str, *,
                     fetch: Callable | None = None) -> dict:
    """Geocode towns/villages once with the office's 天地图 key, store the answers, re-locate open cases.

    Parameters
    ----------
    session
        Open session; the caller commits.
    actor
        Who runs it (must be allowed to plan).
    codes
        Town (9-digit) and village (12-digit) codes.
    key
        The office's 天地图 key.
    fetch
        See :func:`planner.places.tianditu.calibrate` (tests pass recorded answers).

    Returns
    -------
    dict
        ``{"stored", "refused": [(query, reason)], "cases_moved"}``.
    """
    from planner.office.security import require
    from planner.places.tianditu import calibrate, targets_for

    require(actor, "plan")
    result = calibrate(targets_for(codes), key, fetch=fetch)
    moved = 0
    if result.places:
        save_places(session, result.places, actor=actor, origin="天地图地理编码")
        who = getattr(actor, "username", None) or str(actor)
        moved = relocate_open_cases(session, load_gazetteer(session), who=who)
    return {"stored": len(result.places), "refused": list(result.refused), "cases_moved": moved}


def estimated_share(session: Session) -> dict[tuple[float, float], int]:
    """Return how many open cases share each estimated point (a town seat standing for many villages)."""
    out: dict[tuple[float, float], int] = {}
    for lon, lat, src in session.execute(
        select(CaseRow.lon, CaseRow.lat, CaseRow.point_source)
        .where(CaseRow.status.in_(_OPEN), CaseRow.lon.is_not(None))
    ):
        if src in ESTIMATED or not src:
            out[(lon, lat)] = out.get((lon, lat), 0) + 1
    return out


__all__ = [
    "FIXED_POINT_SOURCES", "calibrate_online", "correct_point", "estimated_share", "has_work_ahead",
    "load_gazetteer", "relocate_open_cases", "save_places", "stored_places", "work_ahead",
]
