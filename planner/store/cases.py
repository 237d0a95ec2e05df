"""Reading and updating petition cases in the database as domain objects (no personal fields)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from planner.domain import NO_NAME_WORDS, CaseStatus, Location, PetitionCase, Precision
from planner.errors import ConflictError, InputError, NotFoundError
from planner.store.models import CaseHistory, CaseRow


def case_from_row(row: CaseRow) -> PetitionCase:
    """Turn a ``cases`` row into a :class:`PetitionCase` (petitioner identity is not read).

    Parameters
    ----------
    row
        A mapped ``CaseRow``.

    Returns
    -------
    PetitionCase
    """
    location = Location(
        lon=row.lon,
        lat=row.lat,
        county=row.county or "",
        county_code=row.county_code or "",
        town=row.town or "",
        town_code=row.town_code or "",
        village=row.village or "",
        village_code=row.village_code or "",
        precision=Precision(row.precision or "none"),
        point_source=row.point_source or "",
        precision_km=row.precision_km,
    )
    return PetitionCase(
        case_no=row.case_no,
        received_date=row.received_date,
        content=row.content or "",
        category=row.category or "",
        source=row.source or "",
        title=row.title or "",
        reported_persons=tuple(row.reported_persons or ()),
        reported_units=tuple(row.reported_units or ()),
        address_text=row.address_text or "",
        location=location,
        petitioner_key=row.petitioner_key or "",
        status=CaseStatus(row.status or "registered"),
        deadline=row.deadline,
        extension_days=row.extension_days or 0,
        people_affected=row.people_affected or 0,
        needs_site_visit=bool(row.needs_site_visit),
        severity=row.severity or 3,
    )


def _visibility_clause(actor):
    if actor is None:
        return None
    from planner.office import security  # imported late: security depends on the DB models, not on this module

    return security.visible_case_filter(actor)


def load_cases(
    session: Session,
    *,
    actor=None,
    open_only: bool = False,
    county_codes: Iterable[str] = (),
    categories: Iterable[str] = (),
    statuses: Iterable[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    case_nos: Iterable[str] | None = None,
) -> list[PetitionCase]:
    """Load cases as domain objects, filtered, in order of receipt.

    Parameters
    ----------
    session
        An open session.
    actor
        When given, only the cases this actor may see (``planner.office.security.visible_case_filter``).
    open_only
        Only cases still to be handled (not resolved, clarified or closed).
    county_codes, categories, statuses
        Keep only these (empty: all).
    since, until
        Received-date range, inclusive.
    case_nos
        Only these case numbers.

    Returns
    -------
    list[PetitionCase]
    """
    stmt = select(CaseRow)
    clause = _visibility_clause(actor)
    if clause is not None:
        stmt = stmt.where(clause)
    if open_only:
        stmt = stmt.where(CaseRow.status.in_([s.value for s in CaseStatus if s.is_open]))
    if codes := tuple(county_codes):
        stmt = stmt.where(CaseRow.county_code.in_(codes))
    if cats := tuple(categories):
        stmt = stmt.where(CaseRow.category.in_(cats))
    if sts := tuple(statuses):
        stmt = stmt.where(CaseRow.status.in_(sts))
    if since is not None:
        stmt = stmt.where(CaseRow.received_date >= since)
    if until is not None:
        stmt = stmt.where(CaseRow.received_date <= until)
    if case_nos is not None:
        stmt = stmt.where(CaseRow.case_no.in_(tuple(case_nos)))
    stmt = stmt.order_by(CaseRow.received_date, CaseRow.case_no)
    return [case_from_row(r) for r in session.scalars(stmt)]


def get_case_row(session: Session, case_no: str) -> CaseRow:
    """The ``cases`` row of ``case_no``.

    Raises
    ------
    NotFoundError
        When no case has that number.
    """
    row = session.scalars(select(CaseRow).where(CaseRow.case_no == case_no)).one_or_none()
    if row is None:
        raise NotFoundError(f"没有编号为 {case_no!r} 的信访件 (no case {case_no!r})")
    return row


def get_case(session: Session, case_no: str) -> PetitionCase:
    """The case ``case_no`` as a domain object (raises :class:`NotFoundError`)."""
    return case_from_row(get_case_row(session, case_no))


#: A case that reaches one of these statuses settles the later letters of its repeat chain that wait for it.
SETTLING = (CaseStatus.RESOLVED, CaseStatus.CLARIFIED, CaseStatus.CLOSED)
#: Statuses of a re-sent letter that still waits for its chain (not on an issued plan, not visited on its own).
WAITING = (CaseStatus.REGISTERED, CaseStatus.SELECTED)


def waits_for(session: Session, first: CaseRow, later: CaseRow) -> bool:
    """Whether the re-sent letter ``later`` waits for ``first``, the earlier letter of its chain: it is settled along
    with it, and the field sheets of ``first`` list it (重复件，随本件一并办结).

    It waits while 已登记/已选件, and while 已排程 only at ``first``'s own stops (the same visit of a plan: the officer
    handles them together); planned for a visit of its own, or visited, it no longer waits. The one rule of
    both the sheets (:func:`resent_letters`) and the settling (:func:`set_status`), so they never disagree.
    """
    from planner.store.models import PlanCase

    status = CaseStatus(later.status)
    if status in WAITING:
        return _claimant(session, first, later) == first.id
    if status is not CaseStatus.PLANNED:
        return False
    own = set(session.execute(_stops(live=True).where(PlanCase.case_id == later.id)).all())
    return bool(own) and own <= set(session.execute(_stops().where(PlanCase.case_id == first.id)).all())


def _visited_along(session: Session, first: CaseRow, later: CaseRow) -> bool:
    """Whether ``later`` is 已下访 only as the repeat letter visited along with ``first`` (a plan closed after
    ``first`` was visited): it follows ``first`` when that one is settled, as it did while it waited for it."""
    if later.status != CaseStatus.VISITED.value:
        return False
    detail = session.scalars(select(CaseHistory.detail).where(CaseHistory.case_id == later.id,
                                                              CaseHistory.action == "status")
                             .order_by(CaseHistory.id.desc()).limit(1)).first()
    return (detail or {}).get("visited_with") == first.case_no


def _stops(*, live: bool = False) -> Select:
    """(plan, visit) of routed plan rows; ``live``: of issued or running plans only."""
    from planner.store.models import PlanCase, PlanRow

    stmt = select(PlanCase.plan_id, PlanCase.visit_id).where(PlanCase.team_id != "", PlanCase.visit_date.is_not(None))
    if live:
        stmt = stmt.join(PlanRow, PlanRow.id == PlanCase.plan_id).where(
            PlanRow.status.in_(["issued", "approved", "in_progress"]))
    return stmt


def _claimant(session: Session, first: CaseRow, later: CaseRow) -> int:
    """The one earlier letter of ``later``'s chain that a waiting ``later`` goes with: the earliest one still open
    that a live plan sends a team to (``first`` counts as open: it may be settling now), else ``first``.

    Walk A: two teams visited two letters of one petitioner, and both sheets said a third, waiting letter was settled
    with theirs; the second team's outcome settled it under the first team's feet."""
    from planner.store.models import PlanCase

    earlier = [i for i, day, no in session.execute(
        select(CaseRow.id, CaseRow.received_date, CaseRow.case_no).where(CaseRow.id.in_(_chain_ids(session, later))))
        if (day, no) < (later.received_date, later.case_no)]
    if not earlier:
        return first.id
    visited = set(session.scalars(_stops(live=True).with_only_columns(PlanCase.case_id)
                                  .where(PlanCase.case_id.in_(earlier))))
    settled = {s.value for s in SETTLING}
    open_ = [(c.received_date, c.case_no, c.id) for c in session.scalars(select(CaseRow).where(CaseRow.id.in_(visited)))
             if c.id == first.id or c.status not in settled]
    return min(open_)[2] if open_ else first.id


def last_status_changes(session: Session, case_ids: Iterable[int]) -> dict[int, dict]:
    """The detail of each case's latest status change (``{"from", "to", "note", "with_case"}``): a re-sent letter
    settled along with another names it under ``with_case``."""
    last: dict[int, dict] = {}
    for case_id, detail in session.execute(
        select(CaseHistory.case_id, CaseHistory.detail)
        .where(CaseHistory.action == "status", CaseHistory.case_id.in_(list(case_ids)))
        .order_by(CaseHistory.id)
    ):
        last[case_id] = detail or {}
    return last


def chain_mates(session: Session, case_nos: Iterable[str]) -> dict[str, set[str]]:
    """For many cases at once, the other letters of each one's repeat chain (the rule of :func:`_chain_ids`: the
    same writer and the same matter, or the same stored repeat cluster), by case number; cases alone in their chain
    are left out.

    The same writer is the same stored key or the same writer key (:func:`planner.store.writers.writer_key_map`: a
    letter without the ID number of a named writer with the same phone is theirs); the same matter is 关联分析's own
    verdict on that writer's letters (:func:`planner.store.chains.split_by_matter`): one writer's two matters at one
    village are two chains (walk W8)."""
    from planner.store.chains import repeat_cluster_ids, split_by_matter, writer_groups

    wanted = {str(c) for c in case_nos}
    if not wanted:
        return {}
    no_of = dict(session.execute(select(CaseRow.id, CaseRow.case_no)).all())
    ids = {i for i, no in no_of.items() if no in wanted}
    groups = [g for g in writer_groups(session) if g & ids]
    chains = split_by_matter(session, groups)
    mates: dict[str, set[str]] = {}
    for members in [*(set(chains[i]) for g in groups for i in g & ids), *repeat_cluster_ids(session, ids)]:
        if len(members) > 1:
            for i in members & ids:
                mates.setdefault(no_of[i], set()).update(no_of[m] for m in members - {i})
    return mates


def _chain_ids(session: Session, row: CaseRow) -> set[int]:
    """Every letter of ``row``'s repeat chain, itself included: its writer's letters of its matter
    (:func:`planner.store.chains.split_by_matter`), or the same stored repeat cluster; as in :func:`chain_mates`."""
    from planner.store.chains import repeat_cluster_ids, split_by_matter, writer_ids

    ids = set(split_by_matter(session, [writer_ids(session, row)]).get(row.id, {row.id}))
    for members in repeat_cluster_ids(session, [row.id]):
        ids.update(members)
    return ids


def repeat_chain_followers(session: Session, row: CaseRow) -> list[CaseRow]:
    """The later letters of ``row``'s repeat chain (重复举报): same petitioner, or the same stored repeat cluster.

    Later means received after ``row`` (same day: a higher case number). Oldest first.
    """
    ids = _chain_ids(session, row)
    ids.discard(row.id)
    if not ids:
        return []
    later = [c for c in session.scalars(select(CaseRow).where(CaseRow.id.in_(ids)))
             if (c.received_date, c.case_no) > (row.received_date, row.case_no)]
    return sorted(later, key=lambda c: (c.received_date, c.case_no))


def settles_along(session: Session, row: CaseRow) -> list[CaseRow]:
    """The later letters of ``row``'s repeat chain that settling ``row`` now (已化解, 已澄清, 已办结) settles too:
    those waiting for it, or visited only along with it. Oldest first.

    The one rule of :func:`set_status`, so that a page can name them before the save and in its message (walk 3:
    saving W3-038 as resolved closed W3-039 and W3-040 too, and nothing said so).
    """
    return [later for later in repeat_chain_followers(session, row)
            if waits_for(session, row, later) or _visited_along(session, row, later)]


def set_status(
    session: Session,
    case_no: str,
    status: CaseStatus | str,
    *,
    who: str,
    note: str = "",
    expected_version: int | None = None,
    visited_with: str = "",
) -> PetitionCase:
    """Change a case's status and record who did it, when and why in its history.

    The caller commits. A concurrent change to the same case makes the commit fail (optimistic locking).

    Parameters
    ----------
    expected_version
        The case version the user's form was loaded at; when the case has changed since, the change is refused.
    visited_with
        The first letter of the case's repeat chain it was visited along with (已下访 when a plan closed): settling
        that letter later settles this one too, as it would have had it waited for it.

    Raises
    ------
    InputError
        When ``status`` is not a known status.
    NotFoundError
        When the case does not exist.
    ConflictError
        When ``expected_version`` is given and the case has moved on.
    """
    try:
        status = CaseStatus(status)
    except ValueError:
        raise InputError(f"不认识的信访件状态 {status!r}") from None
    row = get_case_row(session, case_no)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"信访件 {case_no!r} 已被他人修改（版本 {row.version}，你看到的是版本 {expected_version}），请刷新后再操作"
        )
    old = row.status
    if old != status.value:
        row.status = status.value
        session.add(CaseHistory(case_id=row.id, who=who, action="status",
                                detail={"from": old, "to": status.value, "note": note,
                                        **({"visited_with": visited_with} if visited_with else {})}))
        if status in SETTLING:
            # A re-sent letter waits for the first one of its chain: when that one is settled, so is the re-send.
            for later in settles_along(session, row):
                session.add(CaseHistory(case_id=later.id, who=who, action="status",
                                        detail={"from": later.status, "to": status.value,
                                                "note": f"重复信访件，随前件 {row.case_no} {status.label}",
                                                "with_case": row.case_no}))
                later.status = status.value
        session.flush()
    return case_from_row(row)


def case_history(session: Session, case_no: str) -> list[CaseHistory]:
    """History rows of a case, oldest first."""
    row = get_case_row(session, case_no)
    return list(session.scalars(select(CaseHistory).where(CaseHistory.case_id == row.id).order_by(CaseHistory.at,
                                                                                                 CaseHistory.id)))


#: Words a register writes for "no name": never treated as a name to mask inside the text.
_NO_NAME = NO_NAME_WORDS
NO_NAME = _NO_NAME


def field_summary(case: PetitionCase, names: tuple[str, ...] = (), max_chars: int = 60) -> str:
    """The one-line summary a field sheet prints, with identities written in the text masked *before* shortening.

    ID numbers, phone numbers (by pattern) and ``names`` (the letter's own petitioners) are withheld whole
    (:func:`planner.office.privacy.field_text`, not even 赖** or 139****1234): field sheets carry no identity, and
    masking the whole text first means a number cut in half by the ellipsis cannot leak its first digits.
    """
    import re

    from planner.office.privacy import field_text

    text = field_text(re.sub(r"\s+", " ", case.title or case.content).strip(), [n for n in names if n not in _NO_NAME])
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def letter_text(session: Session, case_no: str) -> dict[str, object]:
    """A letter's own words as a page shows them (案件地图's detail): identities written in them masked.

    ``content`` (反映内容), ``title``, ``address`` and ``extra`` (the register's own columns, 备注 ..., as
    (header, text) pairs) with ID numbers, phones and the letter's own petitioner names masked
    (:func:`planner.office.privacy.field_text`, withheld whole), whatever the account: the detail never shows an
    identity, as the identity columns are never shown there either.

    Raises
    ------
    NotFoundError
        When the case does not exist.
    """
    from planner.office.privacy import IDENTITY_WITHHELD, field_text, personal_header

    row = get_case_row(session, case_no)
    names = [n for n in petitioner_names(session, [case_no]).get(case_no, ()) if n not in _NO_NAME]
    return {
        "content": field_text(row.content or "", names),
        "title": field_text(row.title or "", names),
        "address": field_text(row.address_text or "", names),
        "extra": tuple((str(k), IDENTITY_WITHHELD if personal_header(k) else field_text(str(v), names))
                       for k, v in (row.extra_fields or {}).items()),
    }


def petitioner_names(session: Session, case_nos: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The petitioners' names of these cases (PERSONAL: only to mask them inside free text, never to show)."""
    from planner.store.models import PetitionerRow

    wanted = list(dict.fromkeys(case_nos))
    if not wanted:
        return {}
    rows = session.execute(
        select(CaseRow.case_no, PetitionerRow.name).join(PetitionerRow, PetitionerRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(wanted))
    )
    out: dict[str, tuple[str, ...]] = {}
    for case_no, name in rows:
        if name and name.strip():
            out[case_no] = (*out.get(case_no, ()), name.strip())
    return out


def masked_summaries(session: Session, cases: Iterable[PetitionCase], width: int = 40) -> dict[str, str]:
    """Each case's one-line summary for a page's list, with ID numbers, phones and the letter's own petitioner
    names written in it masked (:func:`field_summary`): lists show letters to accounts that may not see
    identities (首页, 案件地图, 选件, 关联分析)."""
    cases = list(cases)
    names: dict[str, tuple[str, ...]] = {}
    nos = list(dict.fromkeys(c.case_no for c in cases))
    for k in range(0, len(nos), 500):
        names.update(petitioner_names(session, nos[k:k + 500]))
    return {c.case_no: field_summary(c, names.get(c.case_no, ()), width) for c in cases}


def field_case_details(session: Session, case_nos: Iterable[str]) -> dict[str, dict[str, str]]:
    """:func:`case_details` of these cases with each letter's own petitioner names masked in its text too."""
    wanted = set(case_nos)
    if not wanted:
        return {}
    names = petitioner_names(session, wanted)
    quiet = confidential_cases(session, wanted)
    later = resent_letters(session, wanted)
    return {c.case_no: case_details(c, names=names.get(c.case_no, ()), confidential=quiet.get(c.case_no, ""),
                                    repeats=later.get(c.case_no, ()))
            for c in load_cases(session, case_nos=wanted)}


def resent_letters(session: Session, case_nos: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Per case, the later letters of its repeat chain still waiting for it (重复件: settled along with it)."""
    out = {}
    for row in session.scalars(select(CaseRow).where(CaseRow.case_no.in_(set(case_nos)))):
        waiting = tuple(c.case_no for c in repeat_chain_followers(session, row) if waits_for(session, row, c))
        if waiting:
            out[row.case_no] = waiting
    return out


def estimated_precision(session: Session, case_nos: Iterable[str]) -> dict[str, float]:
    """Cases whose point is an estimate (a town or county seat standing for the place), with how far off it may be
    in km as the resolver states it: field sheets say such a stop's times are only a guide."""
    wanted = set(case_nos)
    if not wanted:
        return {}
    return {c.case_no: float(c.location.precision_km) for c in load_cases(session, case_nos=wanted)
            if c.location.estimated and c.location.precision_km is not None}


def confidential_cases(session: Session, case_nos: Iterable[str]) -> dict[str, str]:
    """Cases whose petitioner asks for confidentiality, with the basis in words
    (:func:`planner.office.privacy.confidentiality_request`: a register column or the letter's own words)."""
    from planner.office.privacy import confidentiality_request

    wanted = set(case_nos)
    if not wanted:
        return {}
    rows = session.execute(select(CaseRow.case_no, CaseRow.extra_fields, CaseRow.content)
                           .where(CaseRow.case_no.in_(wanted)))
    return {no: why for no, extra, content in rows if (why := confidentiality_request(extra or {}, content or ""))}


def case_details(case: PetitionCase, *, names: tuple[str, ...] = (), confidential: str = "",
                 repeats: tuple[str, ...] = ()) -> dict[str, str]:
    """The case fields a plan document carries for the field packet (``planner.routing.planio.CASE_FIELDS``).

    No identity: summary and address go through :func:`field_summary` / ``field_text`` (ID numbers and phones
    by pattern, ``names`` wherever they occur, withheld whole).
    """
    from planner.office.privacy import field_text

    loc = case.location
    return {
        "case_no": case.case_no,
        "summary": field_summary(case, names),
        "category": case.category,
        "deadline": case.due_date().isoformat(),
        "county": loc.county,
        "town": loc.town,
        "village": loc.village,
        "address": field_text(case.address_text, [n for n in names if n not in _NO_NAME]),
        "received_date": case.received_date.isoformat(),
        **({"confidential": confidential} if confidential else {}),
        **({"repeats": "、".join(repeats)} if repeats else {}),
    }
