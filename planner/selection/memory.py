"""An account's last 选件 selection, kept in the database so that a reload of 选件 or 路线规划 finds it again.

Stored as one ``settings`` row per account (``last_selection:<username>``, JSON; no schema change): the visits
built on 选件 (``planio.visit_to_json``: places, case numbers, constraints; no petitioner identity), the trip
(start date, working days, teams) and the 选件 form's choices. Read back with the account's rights checked again:
visits naming cases the account may no longer plan, or that a live plan now sends a team to, are left out, and
teams the account no longer leads are dropped. Letters visited since the selection was kept (the plan made from it
carried out and 标记完成) are taken out of their visits, and :func:`restore_note` says how many, when and on which
plan: restored as if fresh, they were planned a second time (walk Q).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, Visit, VisitResult
from planner.office.clock import local_today, utc_now
from planner.routing.advice import PlanRequest
from planner.routing.planio import visit_from_json, visit_to_json
from planner.selection.handover import OWN as PREFIX
from planner.selection.handover import lock_handovers


def _key(username: str) -> str:
    return (PREFIX + str(username))[:100]


@dataclass(frozen=True, slots=True)
class LastSelection:
    """What an account chose last on 选件, as it may still plan it."""

    visits: tuple[Visit, ...]
    trip: PlanRequest | None
    form: dict[str, Any] = field(default_factory=dict)
    dropped: int = 0  # visits left out on reading (rights, now on a live plan, or handled since: 已化解/已澄清/已办结)
    #: Letters visited since the selection was kept, each with its day (None: not known), taken out of the visits.
    visited: tuple[tuple[str, dt.date | None], ...] = ()
    #: Names of the finished plans those letters were visited on (``计划「…」``), for the page to say so.
    finished_plans: tuple[str, ...] = ()
    #: Chosen by a coordinator (or administrator) for the account's teams: who, when, how much of it is theirs.
    #: ``adopted`` False: offered (the account has no newer selection of its own and has not kept its own over it).
    handover: Any = None  # planner.selection.handover.HandOver


def save_selection(session: Session, username: str, visits: Sequence[Visit], trip: PlanRequest | None,
                   form: Mapping[str, Any] | None = None, *, handed_over: Any = None) -> None:
    """Keep ``visits``, ``trip`` and the 选件 ``form`` (JSON-able values) as ``username``'s last selection;
    ``handed_over`` (a :class:`planner.selection.handover.HandOver`): adopted from a coordinator's hand-over."""
    from planner.store.models import SettingRow

    value = {
        "visits": [visit_to_json(v) for v in visits],
        "trip": None if trip is None else {"start": trip.start_date.isoformat(), "days": int(trip.days),
                                            "teams": list(trip.team_ids), "policy": trip.policy},
        "form": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in (form or {}).items()},
        # When, and each letter's status then: a letter visited after this is not restored as still to visit, while
        # one chosen when already 已下访 (to go again) still is.
        "saved_at": utc_now().isoformat(),
        "statuses": _statuses(session, {c for v in visits for c in v.case_nos}),
    }
    if handed_over is not None:
        value["handover"] = {**handed_over.to_json(), "adopted": True}
    row = session.get(SettingRow, _key(username))
    if row is None:
        session.add(SettingRow(key=_key(username), value=value))
    else:
        row.value = value
    session.flush()


def adopt(session: Session, actor: Any, offer: Any, shown: Sequence[Visit], *, on: dt.date | None = None
          ) -> LastSelection:
    """``actor`` (a leader) takes a coordinator's hand-over ``offer`` (:class:`planner.selection.handover.HandOver`)
    as their own selection, as it stands now and as their rights let them read it; audited with who handed it
    over, the teams and the counts. ``shown``: the visits the leader was shown; if the hand-over has changed since
    (a visit moved to or from the team, a new hand-over, withdrawn), nothing is adopted.

    Returns
    -------
    LastSelection
        What was adopted.

    Raises
    ------
    PermissionDenied
        ``actor`` may not plan.
    ConflictError
        The hand-over is no longer what the leader was shown.
    """
    from planner.errors import ConflictError
    from planner.office import audit
    from planner.office.authorisation import authorise

    authorise(actor, "plan")
    lock_handovers(session)  # a move at the same moment waits, or has been made and is seen
    now = load_selection(session, actor, on=on)
    h = now.handover if now is not None else None
    if h is None or h.adopted or (h.by, h.at) != (offer.by, offer.at) or \
            {c for v in now.visits for c in v.case_nos} != {c for v in shown for c in v.case_nos}:
        raise ConflictError(f"{offer.who()}于 {offer.when()} 交来的选件已有改动（改派了走访点、重新生成或撤回），"
                            "未采用；下面已换成现在的选件，请看过后再决定。")
    save_selection(session, str(getattr(actor, "username", "")), now.visits, now.trip, {}, handed_over=h)
    cases = sorted({c for v in now.visits for c in v.case_nos})
    audit.record(session, actor, "handover_adopt", case_nos=cases,
                 detail={"by": h.by, "by_name": h.by_name, "by_role": h.by_role, "teams": list(h.team_ids),
                         "at": h.at.isoformat(), "visits": len(now.visits), "cases": len(cases)})
    return now


def load_selection(session: Session, actor: Any, *, on: dt.date | None = None) -> LastSelection | None:
    """``actor``'s last selection with their rights checked again; None when there is none (or it is unreadable).
    Letters handled since (已化解, 已澄清, 已办结) are left out, and a trip starting before ``on`` (default: the office
    clock's today) is dropped."""
    from planner.office.authorisation import outside_cases, team_scope
    from planner.store.models import CaseRow, SettingRow
    from planner.store.plans import case_holders

    username = getattr(actor, "username", None)
    if not username:
        return None
    row = session.get(SettingRow, _key(username))
    value = row.value if row is not None and isinstance(row.value, dict) else None
    # A coordinator's selection for this leader's teams, newer than their own and not kept over: it is offered.
    value = _offered_over(session, username, actor, value)
    if value is None:
        return None
    try:
        visits = [visit_from_json(v) for v in value.get("visits") or ()]
        raw = value.get("trip")
        trip = None if not raw else PlanRequest(dt.date.fromisoformat(raw["start"]), int(raw["days"]),
                                                tuple(raw.get("teams") or ()), raw.get("policy") or "compact")
    except (KeyError, TypeError, ValueError):  # an older or hand-edited value: start afresh
        return None
    cases = {c for v in visits for c in v.case_nos}
    refused = set(outside_cases(actor, session, cases)) | set(case_holders(session, cases, taker=username))
    # Walk M: a letter resolved since the selection (已化解 on the last trip) was planned and issued again unnoticed.
    refused |= set(session.scalars(select(CaseRow.case_no).where(
        CaseRow.case_no.in_(sorted(cases)), CaseRow.status.in_([s.value for s in CaseStatus if not s.is_open]))))
    allowed = tuple(v for v in visits if not set(v.case_nos) & refused)
    visited, plans = _visited_since(session, {c for v in allowed for c in v.case_nos}, value)
    kept = _without(allowed, set(visited))
    scope = team_scope(actor)
    if trip is not None and scope is not None:
        trip = PlanRequest(trip.start_date, trip.days, tuple(t for t in trip.team_ids if t in scope), trip.policy)
    if trip is not None and trip.start_date < (on or local_today()):  # the planner refuses a past start: start anew
        trip = None
    handover = None
    if isinstance(value.get("handover"), dict):
        from planner.selection.handover import HandOver

        handover = HandOver.from_json(value["handover"], visits=len(kept), cases=sum(len(v.case_nos) for v in kept),
                                      adopted=bool(value["handover"].get("adopted")))
    return LastSelection(kept, trip, dict(value.get("form") or {}), len(visits) - len(allowed),
                         tuple(sorted(visited.items())), plans, handover)


def _offered_over(session: Session, username: str, actor: Any, own: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored selection to read back for ``actor``: a hand-over to their teams when it is newer than their own
    selection ``own`` and they have not kept their own over it, else ``own``."""
    from planner.selection.handover import kept_own_at, offered

    given = offered(session, actor)
    if given is None:
        return own
    # A visit moved to the team since (``changed``) makes it new again, to one who adopted or kept their own.
    at = max(str(given["handover"].get("at") or ""), str(given["handover"].get("changed") or ""))
    mine = str((own or {}).get("saved_at") or "")
    if (own is not None and mine >= at) or kept_own_at(session, username) >= at:
        return own
    return given


def _statuses(session: Session, case_nos: set[str]) -> dict[str, str]:
    from planner.store.models import CaseRow

    if not case_nos:
        return {}
    return {no: status for no, status in session.execute(
        select(CaseRow.case_no, CaseRow.status).where(CaseRow.case_no.in_(sorted(case_nos))))}


def _visited_since(session: Session, case_nos: set[str], saved: Mapping[str, Any]
                   ) -> tuple[dict[str, dt.date | None], tuple[str, ...]]:
    """The letters among ``case_nos`` visited since the selection ``saved`` was kept, each with its day, and the
    finished plans they were visited on.

    Visited since: 已下访 now but not when kept (a selection kept before this rule knew no statuses: 已下访 counts),
    or with an 已走访 record made after it was kept. A repeat letter visited along with its first letter (a plan
    closed, :func:`planner.store.lifecycle.visited_with`) has no record of its own: it takes that letter's day.
    """
    from planner.store.cases import last_status_changes
    from planner.store.models import CaseRow, PlanRow, VisitOutcomeRow

    if not case_nos:
        return {}, ()
    then = saved.get("statuses") if isinstance(saved.get("statuses"), dict) else {}
    try:
        since = dt.datetime.fromisoformat(str(saved["saved_at"]))
    except (KeyError, TypeError, ValueError):
        since = None
    rows = session.execute(select(CaseRow.id, CaseRow.case_no, CaseRow.status)
                           .where(CaseRow.case_no.in_(sorted(case_nos)))).all()
    now_visited = {no for _, no, status in rows
                   if status == CaseStatus.VISITED.value and then.get(no) != CaseStatus.VISITED.value}
    changes = last_status_changes(session, [i for i, no, _ in rows if no in now_visited])
    along = {no: str((changes.get(i) or {}).get("visited_with") or "") for i, no, _ in rows if no in now_visited}
    days: dict[str, dt.date] = {}
    plan_ids: dict[str, int] = {}
    recorded: set[str] = set()
    for no, day, plan_id, at in session.execute(
            select(CaseRow.case_no, VisitOutcomeRow.visit_date, VisitOutcomeRow.plan_id, VisitOutcomeRow.recorded_at)
            .join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
            .where(CaseRow.case_no.in_(sorted(case_nos | {f for f in along.values() if f})),
                   VisitOutcomeRow.result == VisitResult.VISITED.value)
            .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)):
        days[no] = day
        if plan_id is not None:
            plan_ids[no] = plan_id
        if since is not None and at is not None and at >= since:
            recorded.add(no)
    out: dict[str, dt.date | None] = {}
    plans: set[int] = set()
    for no in sorted((now_visited | recorded) & case_nos):
        first = no if no in days else along.get(no, "")
        out[no] = days.get(first)
        if first in plan_ids:
            plans.add(plan_ids[first])
    names = tuple(f"计划「{name or f'#{pid}'}」" for pid, name in session.execute(
        select(PlanRow.id, PlanRow.name).where(PlanRow.id.in_(sorted(plans)), PlanRow.status == "done")
        .order_by(PlanRow.id)))
    return out, names


def _without(visits: Sequence[Visit], gone: set[str]) -> tuple[Visit, ...]:
    """``visits`` without the letters ``gone``: a visit left with none goes, one left with fewer takes less time."""
    from planner.selection.ranking import VisitOptions

    if not gone:
        return tuple(visits)
    opt = VisitOptions()
    out = []
    for v in visits:
        left = tuple(c for c in v.case_nos if c not in gone)
        if len(left) == len(v.case_nos):
            out.append(v)
        elif left:
            kind = v.visit_type.value
            less = opt.per_case_min.get(kind, 0) * (len(v.case_nos) - len(left))
            out.append(replace(v, case_nos=left,
                               service_min=max(opt.base_service_min.get(kind, 0), v.service_min - less)))
    return tuple(out)


def _days_text(days: Sequence[dt.date | None]) -> str:
    known = sorted({d for d in days if d is not None})
    if not known:
        return "已走访"
    if len(known) == 1:
        return f"已于 {known[0].strftime('%m-%d')} 走访"
    return f"已于 {known[0].strftime('%m-%d')} 至 {known[-1].strftime('%m-%d')} 走访"


def with_sent(selected: Sequence[str], restored: Sequence[Visit]) -> tuple[list[str], list[str], list[str]]:
    """The letters chosen in a session once ``restored`` (the last selection) is read back into it: the restored
    visits' letters, then those ``selected`` in the session before (sent from 关联分析 or 案件地图, “加入选件清单”),
    each once. Returns that list, the sent letters it adds and the sent letters the restored visits already hold.

    Walk W28: the restored letters replaced those sent, and 生成走访点 silently left them out."""
    had = [c for v in restored for c in v.case_nos]
    held = set(had)
    sent = list(dict.fromkeys(str(c) for c in selected))
    added = [c for c in sent if c not in held]
    return list(dict.fromkeys([*had, *added])), added, [c for c in sent if c in held]


def restore_note(last: LastSelection, *, offer: bool = False, sent: int = 0, sent_held: int = 0) -> str:
    """What 选件 says on reading ``last`` back: what was restored, and what was not and why; ``sent``: letters sent
    from 关联分析 or 案件地图 added to it (``sent_held``: sent ones the restored visits already hold).

    ``已恢复上次选定的 3 个走访点。另有 12 件已于 12-07 走访（计划「…」已完成），未恢复。`` or, nothing left,
    ``上次选定的信访件未恢复：12 件已于 12-07 走访（计划「…」已完成）。请重新选件。``; "" when there was nothing.
    With letters sent: ``已恢复上次选定的 17 个走访点，并加入从关联分析或案件地图转来的 7 件。``
    """
    parts = []
    h = last.handover
    if h is not None and not h.adopted:
        from planner.selection.handover import handover_note

        return handover_note(h) + _handover_rest(last, offer)
    if last.visited:
        done = f"（{'、'.join(last.finished_plans)}已完成）" if last.finished_plans else ""
        parts.append(f"{len(last.visited)} 件{_days_text([d for _, d in last.visited])}{done}")
    if last.dropped:
        parts.append(f"{last.dropped} 个走访点已在进行中的计划里、已化解或办结、或已无权规划")
    if last.visits:
        n_cases = sum(len(v.case_nos) for v in last.visits)
        head = f"已恢复上次选定的 {len(last.visits)} 个走访点" + (
            f"（{n_cases} 件，尚未走访）" if last.visited else "") + (
            f"（采用{h.who()}于 {h.when()} 选定的走访点）" if h is not None else "")
        if sent or sent_held:
            head += (f"，并加入从关联分析或案件地图转来的 {sent} 件" if sent else "") + (
                f"（{'另有 ' if sent else '从关联分析或案件地图转来的 '}{sent_held} 件已在其中）" if sent_held else "")
        return head + (f"；另有 {'；另有 '.join(parts)}，未恢复。" if parts else "。")
    if not parts:
        return ""
    return f"上次选定的信访件未恢复：{'；'.join(parts)}。请重新选件。"


def _handover_rest(last: LastSelection, offer: bool) -> str:
    """After a hand-over's own line: what of it was left out, and what the leader may do (``offer``: on 选件, where
    the leader adopts it or keeps their own)."""
    gone = []
    if last.visited:
        gone.append(f"{len(last.visited)} 件{_days_text([d for _, d in last.visited])}")
    if last.dropped:
        gone.append(f"{last.dropped} 个走访点已在进行中的计划里、已化解或办结、或已无权规划")
    rest = f"另有{'；另有'.join(gone)}，未列入。" if gone else ""
    if not last.visits:
        return rest + "已无要走访的点，请在选件页重新选件。"
    if offer:
        return rest + "可采用这份选件去路线规划，或保留你自己的选件。"
    return rest + "已交本组规划；如要保留自己的选件，请在选件页选择。"


def forget_selection(session: Session, username: str) -> None:
    """Drop ``username``'s last selection."""
    from planner.store.models import SettingRow

    row = session.get(SettingRow, _key(username))
    if row is not None:
        session.delete(row)
