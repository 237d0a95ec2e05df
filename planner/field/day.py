"""The field officer's day on a phone: which team-day opens first, its stops as cards, and recording at a stop.

Built like a delivery driver's view: today first (or the next day with a route), the next stop prominent, one tap
to navigate, and the outcome of a visit recorded from its stop against the stop's case, the day and the team.

Public API
----------
``TeamDay``
    One team's route on one day of one saved plan.
``team_days(session, actor, *, since, until=None) -> list[TeamDay]``
    The saved routes the actor may see from a day on, earliest first; the newest plan wins a team-day.
``officer_day(session, actor, today) -> TeamDay | None``
    Today's route of the actor's own team, or the next day that has one (None for roles that see every team).
``other_live_days(session, day) -> list[tuple[TeamDay, int]]``, ``other_days_text(day, others, today)``
    Other issued or running plans that send the same team out on the same day, with their stops (two plans
    booking one team on one day: the officer is told, not shown one of them only).
``stop_records(session, case_nos, visit_date, team_id) -> dict[str, StopRecord]``, ``recorded_case_nos(...)``
    The outcomes already recorded for these cases on that visit (to show and correct them).
``settled_along(session, case_nos, recorded) -> dict[str, str]``
    Repeat letters of a stop settled along with their chain's first letter recorded there (the stop is done).
``visited_along(session, case_nos, recorded) -> dict[str, str]``
    Repeat letters made 已下访 with their chain's first letter recorded there when the plan was closed (标记完成).
``closed_elsewhere(session, case_nos, recorded) -> dict[str, str]``
    Letters of a stop no longer open although nothing was recorded for them at this visit (closed in 回访跟踪
    or at another visit): the card says so and the stop does not wait for them.
``returned_elsewhere(session, case_nos, recorded, *, plan_id=None) -> dict[str, str]``
    Letters of a 回访 stop whose 回访 was recorded at another visit (in 回访跟踪, another day or team): the same.
``done_mark(card, records) -> str``
    ``已完成``, ``部分完成：已走访 1 · 未找到 1 · 改期 1``, ``已改期，约定 12-09``, ``未找到，已记录`` or ``""``: a
    stop's state, as 行程 and its files say it.
``day_view(it, *, recorded=(), settled=None, closed=None, returned=None, along=None) -> DayView``
    The itinerary as stop cards: arrival, place, cases with summary and deadline, navigation links, next stop, and
    the day's progress (done, put off by 改期, recorded only as 未找到, still to visit); a stop recorded 改期 on the
    day that a re-plan moved off it since (``it.put_off``, planner.field.replanned) stays among them, put off.
``save_stop_outcome(session, day, case_no, *, result, households, leads, solved, findings, who, actor) -> int``
    Record (or correct) what happened at a stop against its case, the day's date, the team and the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import FIVE_QUESTIONS, VisitOutcome, VisitResult, VisitType, picked_result
from planner.errors import ConflictError, InputError, NotFoundError
from planner.field.model import Itinerary, StopSheet, chain_firsts
from planner.field.navlinks import NavLinks, nav_links
from planner.field.stop_state import PARTLY_DONE, TO_VISIT
from planner.field.visit_times import window_text
from planner.office.privacy import mask_free_text

_WEEKDAYS = "一二三四五六日"
#: Which saved plan a team goes by on a day: issued or being carried out, then drafts, then finished plans.
_STATUS_RANK = {"issued": 0, "approved": 0, "in_progress": 0, "draft": 1, "done": 2}

#: What an officer is told while their team has no issued route: plans are made and issued by the team's leader
#: (路线规划 and 导入 are not theirs to open), so they are sent to the leader, not to those pages.
NO_TEAM_ITINERARY = "本组还没有已下发的行程：下访计划由组长制定并下发，请联系本组组长。"

#: What a field officer can record at a stop (the labels are the domain's).
RESULTS: tuple[VisitResult, ...] = (VisitResult.VISITED, VisitResult.NOT_FOUND, VisitResult.POSTPONED)


@dataclass(frozen=True, slots=True, order=True)
class TeamDay:
    """One team's route on one day of one saved plan (ordered by date, then team, then plan)."""

    date: dt.date
    team_id: str
    plan_id: int
    plan_name: str = ""
    plan_status: str = ""

    def label(self, today: dt.date) -> str:
        """``今天 2026-12-07（周一）``, ``明天 …``, ``后天 …`` or ``2026-12-09（周三）``."""
        rel = {0: "今天 ", 1: "明天 ", 2: "后天 "}.get((self.date - today).days, "")
        return f"{rel}{self.date.isoformat()}（周{_WEEKDAYS[self.date.weekday()]}）"


def _routes_of(result: Mapping[str, Any] | None) -> Iterable[tuple[str, dt.date]]:
    """``(team_id, date)`` of every route with at least one stop in a stored plan.json dict."""
    for r in (result or {}).get("routes", ()) or ():
        try:
            day = dt.date.fromisoformat(str(r.get("date")))
        except ValueError:
            continue
        if r.get("stops"):
            yield str(r.get("team", r.get("team_id", ""))), day


def team_days(session: Session, actor: Any, *, since: dt.date, until: dt.date | None = None) -> list[TeamDay]:
    """The saved routes ``actor`` may see on or after ``since``, earliest first.

    When several saved plans route the same team on the same day, one is listed: an issued plan (or one being
    carried out) before a draft, a draft before a finished plan, and among those the newest (a re-plan replaces
    the plan it was made from).

    Parameters
    ----------
    session
        Open session.
    actor
        The signed-in user: an officer or leader gets their own teams' routes, admins and coordinators every team's;
        an officer only those of issued, running or finished plans (a draft is not theirs yet).
    since, until
        First and last day to consider (``until`` None: no end).

    Returns
    -------
    list[TeamDay]
    """
    from planner.office.authorisation import ISSUED_PLAN_STATUSES, sees_drafts, team_scope
    from planner.store.models import PlanRow

    scope = team_scope(actor)
    if scope is not None and not scope:
        return []
    best: dict[tuple[str, dt.date], TeamDay] = {}
    stmt = select(PlanRow.id, PlanRow.name, PlanRow.status, PlanRow.result)
    if not sees_drafts(actor):
        # An officer goes by issued plans only (2004927): a draft's day listed here was refused when opened.
        stmt = stmt.where(PlanRow.status.in_(ISSUED_PLAN_STATUSES))
    rows = session.execute(stmt)
    # An issued plan (or one being carried out) is what the teams go by; a draft only when nothing is issued, a
    # finished plan last; among equals the newest plan, which replaces the one it was re-planned from.
    ordered = sorted(rows, key=lambda r: (_STATUS_RANK.get(r[2] or "draft", 1), -int(r[0])))
    for plan_id, name, status, result in ordered:
        for team_id, day in _routes_of(result):
            if (scope is not None and team_id not in scope) or day < since or (until is not None and day > until):
                continue
            best.setdefault((team_id, day), TeamDay(day, team_id, int(plan_id), name or "", status or "draft"))
    return sorted(best.values())


def officer_day(session: Session, actor: Any, today: dt.date) -> TeamDay | None:
    """Today's route of the actor's own team, or else the next day that has one.

    Returns None when the actor sees every team (admins and coordinators choose a day themselves) or their teams
    have no route from today on (for an officer: none on an issued plan; :data:`NO_TEAM_ITINERARY` says why).
    """
    from planner.office.authorisation import team_scope

    if not team_scope(actor):  # None: every team; empty: no team
        return None
    days = team_days(session, actor, since=today)
    # A team goes by what its leader issued: the first day of an issued (or running) plan, before any earlier day
    # of a draft (walk F landed an officer on a draft's today while an issued plan sent the team out tomorrow).
    live = [d for d in days if _STATUS_RANK.get(d.plan_status or "draft", 1) == 0]
    return (live or days)[0] if days else None


def other_live_days(session: Session, day: TeamDay) -> list[tuple[TeamDay, int]]:
    """Other issued or running plans (not ``day.plan_id``) that route ``day``'s team on ``day``'s date, each with
    how many stops it has for the team that day. :func:`officer_day` opens one plan per team-day; when two live
    plans book the team (saved before 下发 refused that), the other plan's stops must not go unseen."""
    from planner.store.lifecycle import team_day_clashes

    return [(TeamDay(day.date, day.team_id, c.plan_id, c.plan_name, c.status), c.stops)
            for c in team_day_clashes(session, [(day.team_id, day.date)], plan_id=day.plan_id)]


def other_days_text(day: TeamDay, others: Iterable[tuple[TeamDay, int]], today: dt.date) -> str:
    """``本组今天在计划 #1 还有 2 个走访点`` (``本组 12-09 在…`` for another day; empty when there is none)."""
    parts = [f"计划 #{o.plan_id} 还有 {n} 个走访点" for o, n in others]
    if not parts:
        return ""
    when = "今天" if day.date == today else f" {day.date:%m-%d} "
    return f"本组{when}在{'、'.join(parts)}（同一天两个计划都派了本组，出发前请与组长确认按哪个计划走）"


@dataclass(frozen=True, slots=True)
class StopRecord:
    """The outcome already recorded for one case of a stop (what the stop's form shows to be corrected)."""

    outcome_id: int
    version: int
    result: VisitResult
    households: int
    leads: int
    findings: str  # the findings, or for 未找到/改期 the reason
    resolved: bool
    solved: int = 0  # 解决问题（个）: problems solved at this visit, as the 回访跟踪 form records them
    put_off_to: dt.date | None = None  # 改期: the day agreed for the visit (改到哪天), when the officer said one
    recorded_at: dt.datetime | None = None  # when it was first recorded, Beijing time (planner.field.visit_times)
    finding: str = ""  # the 认定 when one was made (反映属实 …), as 回访跟踪 says it
    corrected: str = ""  # the office's last correction of it (planner.field.corrected), or ""

    def text(self) -> str:
        """``已走访 · 反映属实 · 入户 12 户次 · 线索 3 条 · 解决问题 1 个 · 已当场化解`` (the 认定 once made),
        ``改期（外出打工，约 12-15 回村）``.

        A 改期 or 未找到 says the officer's reason, as 选件 does (officer's walk: the card read only 改期), with the
        identities in it masked as there, then the counts a 未找到 recorded (``未找到（…） · 入户 2 户次``); plain text,
        the caller escapes it for where it is shown.
        """
        if self.result is not VisitResult.VISITED:
            why = mask_free_text(" ".join(self.findings.split()))
            said = f"{self.result.label}（{why}）" if why else self.result.label
            if self.put_off_to is not None:
                from planner.followup.put_off import day_text

                said += f" · 改到 {day_text(self.put_off_to)}"
            # A 未找到 may have called on households (统计 counts them): said, as they were (walk C: hidden). A 改期
            # has none.
            counts = [f"{word} {n} {unit}" for word, n, unit in (
                ("入户", self.households, "户次"), ("线索", self.leads, "条"), ("解决问题", self.solved, "个")) if n]
            return " · ".join([said, *counts])
        parts = [self.result.label, *([self.finding] if self.finding else []), f"入户 {self.households} 户次",
                 f"线索 {self.leads} 条"]
        parts += [f"解决问题 {self.solved} 个"] if self.solved else []
        parts += ["已当场化解"] if self.resolved else []
        return " · ".join(parts)


def stop_records(
    session: Session, case_nos: Iterable[str], visit_date: dt.date, team_id: str
) -> dict[str, StopRecord]:
    """The outcomes already recorded for these cases on this visit (the day and the team), by case number.

    Of two records of one visit (possible before visits were unique), the latest counts.
    """
    from planner.followup.outcomes import work_counts
    from planner.office.clock import to_local
    from planner.store.models import CaseRow, VisitOutcomeRow

    nos = sorted(set(case_nos))
    if not nos:
        return {}
    rows = session.execute(
        select(CaseRow.case_no, VisitOutcomeRow)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos), VisitOutcomeRow.visit_date == visit_date,
               VisitOutcomeRow.team_id == team_id)
        .order_by(VisitOutcomeRow.id)
    ).all()
    from planner.field.corrected import office_corrections
    from planner.followup.clarification_withdraw import finding_label

    fixed = office_corrections(session, [r.id for _, r in rows])
    out: dict[str, StopRecord] = {}
    for case_no, r in rows:
        result = VisitResult(r.result)
        counts = work_counts(r)  # none for a 改期, as 统计 counts it (a row from before 改期 refused them)
        out[case_no] = StopRecord(
            outcome_id=int(r.id), version=int(r.version or 1), result=result,
            households=counts["households_visited"], leads=counts["leads_collected"],
            findings=(r.findings if result is VisitResult.VISITED else r.reason) or "",
            resolved=bool(r.problem_resolved), solved=counts["problems_solved"],
            put_off_to=r.put_off_to if result is VisitResult.POSTPONED else None,
            recorded_at=to_local(r.recorded_at).replace(tzinfo=None) if r.recorded_at is not None else None,
            finding=finding_label(r.result, r.report_true, bool(r.report_partly))
            if result is VisitResult.VISITED and r.report_true is not None else "",
            corrected=fixed.get(int(r.id), ""),
        )
    return out


def recorded_case_nos(session: Session, case_nos: Iterable[str], visit_date: dt.date, team_id: str) -> set[str]:
    """The case numbers among ``case_nos`` that already have an outcome for this visit (the day and the team)."""
    return set(stop_records(session, case_nos, visit_date, team_id))


@dataclass(frozen=True, slots=True)
class CaseCard:
    """One case at a stop, as an officer reads it on a phone (never the petitioner's identity)."""

    case_no: str
    summary: str
    category: str  # as people read it (CaseInfo.category_text): the register's word, an inference said to be one
    deadline: dt.date | None
    recorded: bool  # an outcome is recorded for this case on the day
    confidential: str = ""  # the warning to print when the petitioner asked for confidentiality
    repeats: str = ""  # the petitioner's later letters about it, settled along with it
    settled_with: str = ""  # the first letter of its chain, recorded at this visit, that settled it (重复件)
    repeat_of: str = ""  # the first letter of its chain at the same stop: handled with it (重复件)
    repeat_of_recorded: bool = False  # that first letter has its outcome for the day
    closed: str = ""  # ``已于 2026-12-05 标为“已办结”…``: no longer open, though nothing was recorded at this visit
    result: VisitResult | None = None  # what was recorded for it on the day (None: nothing, or not known)
    systemic: str = ""  # its matter is systemic (同类问题另见 3 个县区，共 12 件…), in counts only

    @property
    def handled(self) -> bool:
        """Nothing is left to record for it on the day: recorded, settled along with its chain's first letter, a
        repeat letter whose first letter at the same stop is recorded (the officer handles them together), or a
        letter closed meanwhile in 回访跟踪 or at another visit."""
        return self.recorded or bool(self.settled_with) or self.repeat_of_recorded or bool(self.closed)

    def settled_text(self) -> str:
        """``重复件，已随 ZZ-12 一并办结``, ``重复件：随 ZZ-12 一并办理（ZZ-12 已登记结果）`` or ``""``."""
        if self.settled_with:
            return f"重复件，已随 {self.settled_with} 一并办结"
        if self.repeat_of:
            done = (f"（{self.repeat_of} 已登记结果）" if self.repeat_of_recorded
                    else f"：在 {self.repeat_of} 登记结果即可")
            return f"重复件：与 {self.repeat_of} 为同一信访人同一事项，随 {self.repeat_of} 一并办理{done}"
        return ""

    def deadline_text(self, today: dt.date, visit_day: dt.date | None = None) -> str:
        """``办理期限 2026-12-20（剩 13 天）``, ``…（今天到期）``, ``…（已超期 3 天）`` or ``""``; for a stop on a later
        day that comes after the deadline, also ``…（剩 2 天；12-14 走访时已超期 5 天）`` (walk C read 剩 2 天 on a stop
        five days past the deadline)."""
        if self.deadline is None:
            return ""
        left = (self.deadline - today).days
        when = "今天到期" if left == 0 else (f"剩 {left} 天" if left > 0 else f"已超期 {-left} 天")
        if visit_day is not None and visit_day > today and self.deadline < visit_day:
            when += f"；{visit_day:%m-%d} 走访时已超期 {(visit_day - self.deadline).days} 天"
        return f"办理期限 {self.deadline.isoformat()}（{when}）"

    def overdue(self, today: dt.date, visit_day: dt.date | None = None) -> bool:
        """True when the handling deadline has passed, or will have by ``visit_day``."""
        return self.deadline is not None and self.deadline < max(today, visit_day or today)


@dataclass(frozen=True, slots=True)
class StopCard:
    """One stop of the day as a card: when, where, which cases, how to get there."""

    seq: int
    arrive: str
    start: str
    end: str
    place: str
    name: str
    lon: float  # WGS-84
    lat: float
    nav: NavLinks
    cases: tuple[CaseCard, ...]
    return_visit: bool = False
    break_before: str = ""  # ``12:00-13:30`` when the lunch break falls on the way here
    estimate: str = ""  # the point is a town or county seat standing for the place: its times are only a guide
    put_off: str = ""  # ``已改期至 2026-12-08（周二）``: recorded 改期 on the day, moved off it by a re-plan since
    window: str = ""  # ``约定时段 14:30-15:30``: the visit's time window (planner.field.visit_times.window_text)

    @property
    def done(self) -> bool:
        """True when every case of the stop has an outcome for the day or was settled along with a letter recorded
        at this visit (a stop without cases is never done)."""
        return bool(self.cases) and all(c.handled for c in self.cases)

    @property
    def postponed(self) -> bool:
        """True when nothing is left to record here today but a case of it was recorded as 改期: the stop is put
        off, not done (walk M: a 改期 stop counted as 已完成)."""
        results = [c.result for c in self.cases]
        return self.done and VisitResult.POSTPONED in results and VisitResult.VISITED not in results

    @property
    def partial(self) -> bool:
        """True when nothing is left to record here today and some letters were 已走访 but others 未找到 or 改期:
        部分完成, neither done nor put off as a whole (walk W12: 已走访 + 未找到 + 改期 read 已改期)."""
        results = {c.result for c in self.cases}
        return (self.done and VisitResult.VISITED in results
                and bool(results & {VisitResult.NOT_FOUND, VisitResult.POSTPONED}))

    @property
    def not_found(self) -> bool:
        """True when nothing is left to record here today and its cases were recorded only as 未找到 (none 已走访,
        none 改期): the stop was gone to but nobody was met, so it is not counted as done either (browser walk)."""
        results = [c.result for c in self.cases]
        return (self.done and not self.postponed and VisitResult.NOT_FOUND in results
                and VisitResult.VISITED not in results)

    def times(self) -> str:
        """``到达 09:40 · 走访 09:40-10:25``, with its time window ``· 约定时段 09:30-10:30`` (walk W26)."""
        return f"到达 {self.arrive} · 走访 {self.start}-{self.end}" + (f" · {self.window}" if self.window else "")


@dataclass(frozen=True, slots=True)
class DayView:
    """A team's day as cards, with the next stop to go to."""

    itinerary: Itinerary
    stops: tuple[StopCard, ...]
    five_questions: tuple[str, ...] = FIVE_QUESTIONS

    @property
    def next_stop(self) -> StopCard | None:
        """The first stop in route order whose cases are not all recorded (None when the day is done)."""
        return next((s for s in self.stops if not s.done), None)

    def progress_text(self) -> str:
        """``已完成 2 · 部分完成 1 · 改期 1 · 未找到 1 · 待走访 2（共 7 站）`` (部分完成, 改期 and 未找到 only when
        there are such stops), stops each counted once: a stop recorded as 改期, or only as 未找到, is not done, nor
        does it wait for a visit today; one where some letters were 已走访 and others not (or not yet) is 部分完成
        (as its mark)."""
        # 部分完成 too where some letters were 已走访 and others still wait, as its mark says (walk W14b: 珪后村 read
        # 部分完成：已走访 1 · 待走访 1 while the line counted it 待走访)
        started = sum(not s.done and any(c.handled and c.result == VisitResult.VISITED for c in s.cases)
                      for s in self.stops)
        put_off = sum(s.postponed for s in self.stops)
        missed = sum(s.not_found for s in self.stops)
        done = sum(s.done for s in self.stops) - sum(s.partial for s in self.stops) - put_off - missed
        partial = sum(s.partial for s in self.stops) + started
        parts = [f"已完成 {done}"] + [f"{label} {n}" for label, n in
                                    (("部分完成", partial), ("改期", put_off), ("未找到", missed)) if n]
        parts.append(f"待走访 {len(self.stops) - done - partial - put_off - missed}")
        return f"{' · '.join(parts)}（共 {len(self.stops)} 站）"


def done_mark(card: StopCard, records: Mapping[str, StopRecord]) -> str:
    """What a stop with nothing left to record reads beside its place, on 行程 and on every sheet of the day:
    ``已完成``, ``已改期，约定 12-09`` or ``已改期`` (walk M: a 改期 stop read 已完成), ``未找到，已记录``; a stop whose
    letters were recorded differently counts them: ``部分完成：已走访 1 · 未找到 1 · 改期 1，约定 12-09`` when one was
    visited, ``已改期：未找到 1 · 改期 1`` when none was; ``""`` while the stop waits for a visit. ``records``: the
    day's outcomes by case number (:func:`stop_records`). A stop some of whose letters were 已走访 while others still
    wait reads ``部分完成：已走访 1 · 待走访 1`` (walk W15: 新桥村, one of two letters visited, read nothing on the
    Excel and the PDF): :func:`planner.field.stop_state.stop_state` makes it partly done, as the maps colour it."""
    mine = [records[c.case_no] for c in card.cases if c.case_no in records]
    results = {r.result for r in mine}
    # Letters recorded differently at one stop (walk W12: 已走访, 未找到 and 改期 read 已改期) are each counted.
    tally = " · ".join(f"{r.label} {n}" for r in RESULTS if (n := sum(m.result is r for m in mine)))
    if not card.done:
        waiting = sum(not c.handled for c in card.cases)
        return f"{PARTLY_DONE}：{tally} · {TO_VISIT} {waiting}" if VisitResult.VISITED in results else ""
    agreed = max((r.put_off_to for r in mine if r.put_off_to), default=None)
    when = f"，约定 {agreed:%m-%d}" if agreed else ""
    if VisitResult.VISITED in results and len(results) > 1:
        return f"{PARTLY_DONE}：{tally}{when}"
    if VisitResult.POSTPONED in results:
        return f"已改期：{tally}{when}" if len(results) > 1 else f"已改期{when}"
    if results == {VisitResult.NOT_FOUND}:
        return "未找到，已记录"
    return "已完成"


def _chain_firsts(s: StopSheet) -> dict[str, str]:
    """The later letters of a repeat chain at this stop (重复件), each to the first letter of its chain here: the one
    the officer handles and records (:func:`~planner.field.model.chain_firsts`)."""
    return chain_firsts(s.cases)


def _card(s: StopSheet, recorded: Collection[str], brk: str, settled: Mapping[str, str],
          closed: Mapping[str, str], results: Mapping[str, VisitResult], returned: Mapping[str, str],
          along: Mapping[str, str] | None = None) -> StopCard:
    here = {c.case_no for c in s.cases}
    # A repeat letter visited along with its first letter here when the plan was closed is still paired with it.
    first_of = {**{no: f for no, f in (along or {}).items() if no in here and f in here}, **_chain_firsts(s)}
    # A return visit is made to letters already handled: their being closed is why the stop exists, not its end;
    # its 回访 recorded at another visit is.
    closed = returned if s.visit.visit_type is VisitType.RETURN else closed
    # A summary is free text: a phone or ID number written into it is masked like everywhere officers read. A repeat
    # handled with its chain's first letter here does not list the later letters as settled along with itself: the
    # first letter lists them all (ZZ-47 said 随本件一并办结 of ZZ-49 and 随 ZZ-46 一并办理 of itself).
    # The category as the register wrote it (三资管理), or said to be inferred: the words the office itself uses.
    cases = tuple(CaseCard(c.case_no, mask_free_text(c.summary), c.category_text(), c.deadline, c.case_no in recorded,
                           c.confidential_text(), "" if c.case_no in first_of else c.repeats_text(),
                           "" if c.case_no in recorded else settled.get(c.case_no, ""),
                           first_of.get(c.case_no, ""), first_of.get(c.case_no, "") in recorded,
                           "" if c.case_no in recorded or c.case_no in settled else closed.get(c.case_no, ""),
                           results.get(c.case_no), c.systemic_text())
                  for c in s.cases)
    return StopCard(seq=s.seq, arrive=s.arrive, start=s.start, end=s.end, place=s.place(), name=s.name(),
                    lon=s.lon, lat=s.lat, nav=nav_links(s.lon, s.lat, s.name()), cases=cases,
                    return_visit=s.visit.visit_type is VisitType.RETURN, break_before=brk if s.break_before else "",
                    estimate=s.estimate_text(), put_off=s.put_off, window=window_text(s.visit))


def day_view(it: Itinerary, *, recorded: Collection[str] | Mapping[str, StopRecord] = (),
             settled: Mapping[str, str] | None = None, closed: Mapping[str, str] | None = None,
             returned: Mapping[str, str] | None = None, along: Mapping[str, str] | None = None) -> DayView:
    """The itinerary as stop cards.

    Parameters
    ----------
    it
        One team's day (``planner.field.build_itinerary``).
    recorded
        Case numbers with an outcome already recorded for the day (:func:`recorded_case_nos`), or those outcomes
        by case number (:func:`stop_records`): with them a stop recorded as 改期 is told from a stop done.
    settled
        Case numbers settled along with another letter recorded at this visit, to that letter's number
        (:func:`settled_along`).
    closed
        Case numbers closed meanwhile without an outcome at this visit, to the words that say so
        (:func:`closed_elsewhere`); ignored at return-visit stops.
    returned
        Case numbers whose 回访 was recorded at another visit, to the words that say so
        (:func:`returned_elsewhere`); used at return-visit stops only.
    along
        Repeat letters made 已下访 along with their first letter recorded at this visit when the plan was closed,
        to that letter's number (:func:`visited_along`): read as before the close, 随 that letter 一并办理.

    Returns
    -------
    DayView
    """
    brk = it.break_text() if it.has_break() else ""
    done = set(recorded)
    results = {no: r.result for no, r in recorded.items()} if isinstance(recorded, Mapping) else {}
    stops = [_card(s, done, brk, settled or {}, closed or {}, results, returned or {}, along) for s in it.stops]
    # A stop recorded 改期 on the day and moved off it by a re-plan since stays on the day, put off, after the stops
    # already handled (those kept as they were) and before those still to visit.
    put_off = [_card(s, done | {c.case_no for c in s.cases}, "", {}, {},
                     {**{c.case_no: VisitResult.POSTPONED for c in s.cases}, **results}, {}) for s in it.put_off]
    ahead = next((k for k, c in enumerate(stops) if not c.done), len(stops))
    return DayView(itinerary=it, stops=tuple(stops[:ahead] + put_off + stops[ahead:]))


def settled_along(session: Session, case_nos: Iterable[str], recorded: Collection[str]) -> dict[str, str]:
    """The letters among ``case_nos`` that are settled because a letter of ``recorded`` was (a repeat letter at the
    same stop as its chain's first, :func:`planner.store.cases.set_status`), to that letter's number.

    Only while the letter still has the status that settling gave it: reopened or corrected since, it is open again.
    """
    from planner.store.models import CaseHistory, CaseRow

    nos = sorted(set(case_nos))
    firsts = set(recorded)
    if not nos or not firsts:
        return {}
    rows = session.execute(
        select(CaseRow.case_no, CaseRow.status, CaseHistory.detail)
        .join(CaseHistory, CaseHistory.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos), CaseHistory.action == "status")
        .order_by(CaseHistory.at, CaseHistory.id)
    ).all()
    latest: dict[str, tuple[str, Mapping]] = {}
    for case_no, status, detail in rows:
        latest[case_no] = (status, detail or {})
    return {no: str(d["with_case"]) for no, (status, d) in latest.items()
            if d.get("with_case") in firsts and d.get("to") == status}


def visited_along(session: Session, case_nos: Iterable[str], recorded: Collection[str]) -> dict[str, str]:
    """The repeat letters among ``case_nos`` that 标记完成 made 已下访 along with their chain's first letter recorded
    at this visit (``recorded``), to that letter's number, while they still have that status.

    Once the plan is closed such a letter no longer waits for its first letter, so the stop's sheet no longer pairs
    them: without this the day of a finished plan went backwards (walk W10: 已完成 0, the visited stop 下一站 again and
    the repeat letter offered an open form instead of 随 ZZJW2026-0082 一并办理).
    """
    from planner.store.models import CaseHistory, CaseRow

    nos = sorted(set(case_nos) - set(recorded))
    firsts = set(recorded)
    if not nos or not firsts:
        return {}
    latest: dict[str, tuple[str, Mapping]] = {}
    for case_no, status, detail in session.execute(
        select(CaseRow.case_no, CaseRow.status, CaseHistory.detail)
        .join(CaseHistory, CaseHistory.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos), CaseHistory.action == "status")
        .order_by(CaseHistory.at, CaseHistory.id)
    ).all():
        latest[case_no] = (status, detail or {})
    return {no: str(d["visited_with"]) for no, (status, d) in latest.items()
            if d.get("visited_with") in firsts and d.get("to") == status}


def closed_elsewhere(session: Session, case_nos: Iterable[str], recorded: Collection[str]) -> dict[str, str]:
    """The letters among ``case_nos`` that are no longer open (已化解, 已澄清, 已办结) and have no outcome in
    ``recorded`` (this visit's), to the words an officer reads: when and to what the letter was set.

    A leader may close a letter in 回访跟踪, or another team's visit may settle it, after the plan was issued; the
    officer's card then says so instead of asking for a visit nobody needs (re-walk H: the stop stayed 下一站).
    """
    from planner.domain import CaseStatus
    from planner.store.models import CaseHistory, CaseRow

    nos = sorted(set(case_nos) - set(recorded))
    if not nos:
        return {}
    status = dict(session.execute(select(CaseRow.case_no, CaseRow.status).where(CaseRow.case_no.in_(nos))).all())
    shut = {no: CaseStatus(st) for no, st in status.items() if st in CaseStatus._value2member_map_
            and not CaseStatus(st).is_open}
    if not shut:
        return {}
    when: dict[str, dt.datetime] = {}
    for no, at, detail in session.execute(
        select(CaseRow.case_no, CaseHistory.at, CaseHistory.detail)
        .join(CaseHistory, CaseHistory.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(sorted(shut)), CaseHistory.action == "status")
        .order_by(CaseHistory.at, CaseHistory.id)
    ).all():
        if (detail or {}).get("to") == shut[no].value:
            when[no] = at
    out = {}
    for no, st in shut.items():
        since = f"已于 {when[no].date().isoformat()} 标为" if no in when else "登记状态为"
        out[no] = f"{since}“{st.label}”，本站无需再走访此件（有新情况仍可登记走访结果）"
    return out


def returned_elsewhere(session: Session, case_nos: Iterable[str], recorded: Collection[str], *,
                       plan_id: int | None = None) -> dict[str, str]:
    """The letters among ``case_nos`` whose 回访 was recorded as 已走访 at another visit than this one (in 回访跟踪, or
    on another day or by another team), to the words an officer reads at a 回访 stop.

    The 回访 counted is the one that closed the letter's latest 回访 (or 整改回访) task: recorded on or after the day
    that task was proposed, with no such task left open. A letter with no task at all (planned by hand) counts a 回访
    recorded since plan ``plan_id`` was saved. An earlier round's 回访 never counts (browser walk: a 回访 recorded in
    回访跟踪 left the stop 下一站 on the officer's day).
    """
    from planner.followup.common import RECTIFICATION_CHECK, RETURN_VISIT
    from planner.store.models import CaseRow, FollowUpRow, PlanRow, VisitOutcomeRow

    nos = sorted(set(case_nos) - set(recorded))
    if not nos:
        return {}
    open_tasks: set[str] = set()
    since: dict[str, dt.datetime] = {}
    for no, created, done in session.execute(
        select(CaseRow.case_no, FollowUpRow.created_at, FollowUpRow.done)
        .join(FollowUpRow, FollowUpRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos), FollowUpRow.kind.in_((RETURN_VISIT, RECTIFICATION_CHECK)))
    ).all():
        if not done:
            open_tasks.add(no)
        if created is not None and (no not in since or created > since[no]):
            since[no] = created
    plan = session.get(PlanRow, plan_id) if plan_id is not None else None
    out: dict[str, str] = {}
    for no, visit_date, recorded_at, resolved in session.execute(
        select(CaseRow.case_no, VisitOutcomeRow.visit_date, VisitOutcomeRow.recorded_at,
               VisitOutcomeRow.problem_resolved)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos), VisitOutcomeRow.visit_type == VisitType.RETURN.value,
               VisitOutcomeRow.result == VisitResult.VISITED.value)
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    ).all():
        anchor = since.get(no) or (plan.created_at if plan is not None else None)
        if no in open_tasks or anchor is None:
            continue
        if visit_date >= anchor.date() or (recorded_at is not None and recorded_at >= anchor):
            found = "问题保持解决" if resolved else "发现问题反弹、仍未解决"
            out[no] = (f"已于 {visit_date.isoformat()} 登记回访（{found}），本站无需再回访此件"
                       "（有新情况仍可登记走访结果）")
    return out


def _visit_type_at_stop(session: Session, day: TeamDay, case_no: str) -> VisitType:
    """The kind of visit that brings ``case_no`` to ``day``'s route; refuses a case that is not on it."""
    from planner.store.plans import load_plan

    doc = load_plan(session, day.plan_id)
    route = doc.plan.route_for(day.team_id, day.date)
    for s in route.stops if route else ():
        visit = doc.visits.get(s.visit_id)
        if visit is not None and case_no in visit.case_nos:
            return visit.visit_type
    # A letter recorded here that a re-plan split off to visit again (V1-未找到) stays on the day's sheets with its
    # record (walk W12b), which may be corrected there.
    if case_no in stop_records(session, [case_no], day.date, day.team_id):
        return next((v.visit_type for v in doc.visits.values() if case_no in v.case_nos), VisitType.INVESTIGATION)
    raise NotFoundError(
        f"信访件 {case_no!r} 不在计划 #{day.plan_id} 中 {day.team_id} 组 {day.date.isoformat()} 的线路上"
    )


def _still_resolved(session: Session, case_no: str) -> bool:
    """Whether ``case_no`` is 已化解 now (a 回访 of it keeps it so unless the problem is found back)."""
    from planner.domain import CaseStatus
    from planner.store.models import CaseRow

    return session.scalar(select(CaseRow.status).where(CaseRow.case_no == case_no)) == CaseStatus.RESOLVED.value


def _not_on_the_form(session: Session, outcome_id: int) -> dict[str, Any]:
    """The recorded values of an outcome that the stop's form does not show, to keep them through a correction."""
    from planner.store.models import VisitOutcomeRow

    row = session.get(VisitOutcomeRow, outcome_id)
    return {"report_true": row.report_true, "report_partly": bool(row.report_partly) and row.report_true is True,
            "time_spent_min": int(row.time_spent_min or 0)} if row is not None else {}


def save_stop_outcome(
    session: Session,
    day: TeamDay,
    case_no: str,
    *,
    result: VisitResult | str,
    households: int = 0,
    leads: int = 0,
    solved: int = 0,
    findings: str = "",
    resolved: bool = False,
    problem_back: bool = False,
    put_off_to: dt.date | None = None,
    who: str,
    actor: Any,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> int:
    """Record what happened at a stop, against its case, the day's date, the team and the plan.

    A visit (case, day, team) has one record: saving a stop again corrects that record (the previous values go to
    the case's history), provided it is still the version the form showed.

    Parameters
    ----------
    session
        Open session; the caller commits.
    day
        The team-day the stop belongs to (its plan, team and date go into the record).
    case_no
        One of the stop's cases.
    result
        已走访, 未找到 or 改期 (``VisitResult``).
    households, leads, solved
        入户走访 (visits), 收集线索 (leads) and 解决问题 (problems solved) counts, not negative; ``solved`` is the
        outcome's ``problems_solved``, the number 统计 sums as 解决问题（个）, as on the 回访跟踪 form.
    findings
        What was found; for 未找到 and 改期 it is the reason and must not be empty.
    resolved
        The problem was settled on the spot (only with 已走访): the case becomes 已化解 and a 回访 is proposed.
    problem_back
        At a 回访 stop, the 回访 found the problem of a letter 已化解 back, still unsolved: the letter goes back to
        已下访. Without it such a letter stays 已化解 (recorded as still resolved) whether ``resolved`` is ticked or
        not: “问题已当场化解” left unticked is no finding that the problem came back (browser walk: a 回访 that
        found it solved reopened the letter, overdue).
    put_off_to
        With 改期, the day agreed for the visit (改到哪天; None: not agreed yet), after the visit's day and not
        past ``today`` (None: Zhangzhou's today). Ignored with another result, as the form hides it then.
    who, actor
        The signed-in user; they must be allowed to record outcomes for this case and this team.
    expected_version
        The version of the visit's record the form showed (:class:`StopRecord`); None when it showed none. A record
        that already holds exactly what is saved is kept as it is, whatever the version (the same save twice).

    Returns
    -------
    int
        Id of the stored outcome.

    Raises
    ------
    PermissionDenied
        When ``actor`` may not record for this team or case.
    NotFoundError
        When the case is not on this team-day's route.
    InputError
        For a negative count, an unknown result, or 未找到/改期 without a reason.
    ConflictError
        When someone else recorded or corrected this visit after the form was shown.
    """
    from planner.followup.outcomes import correct_outcome, holds, record_outcome
    from planner.office.authorisation import CaseRef, TeamRef, authorise

    authorise(actor, "record_outcome", TeamRef(day.team_id))
    authorise(actor, "record_outcome", CaseRef(case_no), session=session)
    try:
        result = picked_result(result)  # the form starts with none picked (walk W13), as 回访跟踪's does
    except InputError:
        raise
    except ValueError:
        raise InputError(f"结果：应为 {'、'.join(r.label for r in RESULTS)} 之一，收到 {result!r}") from None
    for label, value in (("入户走访", households), ("收集线索", leads), ("解决问题", solved)):
        if int(value) < 0:
            raise InputError(f"{label}：不能为负数，收到 {value!r}")
    text = (findings or "").strip()
    visited = result is VisitResult.VISITED
    if result is not VisitResult.POSTPONED:
        put_off_to = None
    if not visited and not text:
        raise InputError(f"{result.label}：请在“核查情况 / 原因”中写明原因（信访件 {case_no}）")
    visit_type = _visit_type_at_stop(session, day, case_no)
    if visited and visit_type is VisitType.RETURN and not problem_back:
        resolved = resolved or _still_resolved(session, case_no)
    elif problem_back:
        resolved = False
    existing = stop_records(session, [case_no], day.date, day.team_id).get(case_no)
    # What the phone form does not show (反映问题 属实/不实, 用时) stays as 回访跟踪 recorded it: correcting a count on
    # the phone must not undo a leader's 反映不实 (the ground of a 澄清) or the time spent.
    kept = _not_on_the_form(session, existing.outcome_id) if existing is not None else {}
    outcome = VisitOutcome(
        case_no=case_no, visit_date=day.date, result=result, team_id=day.team_id,
        reason="" if visited else text, findings=text if visited else "",
        problem_resolved=bool(resolved) and visited, households_visited=int(households),
        leads_collected=int(leads), problems_solved=int(solved), recorded_by=who, put_off_to=put_off_to, **kept,
    )
    if existing is not None and holds(session, existing.outcome_id, outcome, visit_type):
        # Walk W10 M1: a double tap on 保存 saved once, then the second tap was told 已被他人修改…没有保存. The record
        # already says exactly this: the same save, whichever version the form was loaded at.
        return existing.outcome_id
    if existing is None:
        if expected_version is not None:
            raise ConflictError(f"信访件 {case_no} 的这次走访记录已不存在（可能已被删除），请刷新后重新登记")
        return record_outcome(session, outcome, who=who, plan_id=day.plan_id, visit_type=visit_type, today=today)
    if expected_version is None or expected_version != existing.version:
        raise ConflictError(
            f"信访件 {case_no} 在 {day.date.isoformat()} 的走访结果已由他人登记或修改"
            f"（现为“{existing.text()}”），请刷新后再改"
        )
    # What a leader corrected, or a 澄清函 / feedback rests on, an officer's phone form may not undo (walk W15).
    correct_outcome(session, existing.outcome_id, outcome, who=who, expected_version=expected_version, today=today,
                    role=getattr(actor, "role", None))
    return existing.outcome_id
