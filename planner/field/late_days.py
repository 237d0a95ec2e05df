"""Earlier days of a team's issued or running plan whose stops still wait for an outcome (待登记).

Walk W26: on the trip's second day the officer's 行程 opened on today and said nothing of the day before, whose three
stops had no outcome recorded; 首页 and 回访跟踪's 今日与回访 left them out too: they were found only by choosing
12-08 in 行程's date box. Each such day is now named where the officer and the leader land (行程, 首页), with one tap
to open it, and its letters are listed in 回访跟踪 as work due.

A stop is 待登记 exactly when 行程 shows that day's stop waiting, by the one rule both read
(:func:`planner.field.day_state.day_state`: a letter recorded that day by the team, settled along with its chain's
first letter, closed meanwhile, its 回访 recorded elsewhere, taken by another team's live plan, or with an outcome
recorded for a visit on or after that day — entered in 回访跟踪 with the day it was really made — needs nothing
more). A stop a re-plan took off the day is not on it any more; a finished plan (标记完成) waits for nothing. Case
numbers and places only.

Public API
----------
``LateStop``, ``LateDay``
    A stop still waiting (route number, place, letters) and one team-day with such stops.
``late_days(session, actor, today, *, team_ids=()) -> list[LateDay]``
    The team-days before ``today`` of live plans ``actor`` may see with stops still 待登记, earliest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.field.day import TeamDay

_WEEKDAYS = "一二三四五六日"
#: How many stops of a day a notice names (the rest counted: a phone's screen is narrow).
NAMED_STOPS = 5


@dataclass(frozen=True, slots=True)
class LateStop:
    """A stop of an earlier day still without an outcome: its route number, its place and the letters waiting."""

    seq: int
    place: str
    case_nos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LateDay:
    """One team's earlier day of a live plan with stops still 待登记."""

    day: TeamDay
    team_name: str
    stops: tuple[LateStop, ...]

    @property
    def case_nos(self) -> tuple[str, ...]:
        """The letters still waiting, in route order."""
        return tuple(no for s in self.stops for no in s.case_nos)

    def when(self, today: dt.date) -> str:
        """``昨天 12-08（周二）`` or ``12-05（周六）``."""
        d = self.day.date
        return ("昨天 " if (today - d).days == 1 else "") + f"{d:%m-%d}（周{_WEEKDAYS[d.weekday()]}）"

    def text(self, today: dt.date, *, team: bool = False) -> str:
        """``昨天 12-08（周二）还有 3 个走访点未登记结果：1. 山格镇土田村、2. …、3. …`` (``team``: the team's name
        first, for who sees several teams); at most :data:`NAMED_STOPS` named, the others counted."""
        named = "、".join(f"{s.seq}. {s.place}" for s in self.stops[:NAMED_STOPS])
        more = f" 等（另有 {len(self.stops) - NAMED_STOPS} 个）" if len(self.stops) > NAMED_STOPS else ""
        who = f"{self.team_name} " if team else ""
        return f"{who}{self.when(today)}还有 {len(self.stops)} 个走访点未登记结果：{named}{more}"

    def button_text(self, today: dt.date) -> str:
        """``打开 12-08 的行程登记结果``."""
        return f"打开 {self.day.date:%m-%d} 的行程登记结果"


def _live_days(session: Session, scope: frozenset[str] | None, today: dt.date,
               team_ids: Iterable[str]) -> dict[int, list[tuple[str, dt.date]]]:
    """Plan id -> the (team, day) routes before ``today`` it holds for ``scope`` (None: every team), of issued or
    running plans only; a team-day two live plans hold goes by the newer (as 行程 opens it)."""
    from planner.field.day import _routes_of
    from planner.office.authorisation import LIVE_PLAN_STATUSES
    from planner.store.models import PlanRow

    wanted = set(team_ids)
    best: dict[tuple[str, dt.date], int] = {}
    rows = session.execute(select(PlanRow.id, PlanRow.result).where(PlanRow.status.in_(LIVE_PLAN_STATUSES),
                                                                   PlanRow.start_date < today)
                           .order_by(PlanRow.id.desc()))
    for plan_id, result in rows:
        for team_id, day in _routes_of(result):
            if day < today and (scope is None or team_id in scope) and (not wanted or team_id in wanted):
                best.setdefault((team_id, day), int(plan_id))
    out: dict[int, list[tuple[str, dt.date]]] = {}
    for (team_id, day), plan_id in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out.setdefault(plan_id, []).append((team_id, day))
    return out


def _waiting(session: Session, actor: Any, doc: Any, plan_id: int, team_id: str, day: dt.date) -> list[LateStop]:
    """The stops of ``team_id``'s route on ``day`` of ``doc`` (saved plan ``plan_id``) still 待登记, as 行程 reads
    that day."""
    from planner.field import build_itinerary
    from planner.field.day_state import day_state

    view = day_state(session, build_itinerary(doc, team_id, day), plan_id=plan_id, actor=actor).view()
    cards = [c for c in view.stops if not c.done and not c.put_off]
    out = []
    for card in cards:
        left = tuple(x.case_no for x in card.cases if not x.handled)
        if left:
            out.append(LateStop(card.seq, card.place, left))
    return out


def late_days(session: Session, actor: Any, today: dt.date, *, team_ids: Iterable[str] = ()) -> list[LateDay]:
    """The team-days before ``today`` of issued or running plans with stops still 待登记 (see the module), earliest
    first.

    Parameters
    ----------
    session
        Open session.
    actor
        The signed-in user: an officer or leader gets their own teams' days, admins and coordinators every team's;
        None: every team's (batch use).
    today
        The office's today.
    team_ids
        Only these teams (empty: all the actor's).
    """
    from planner.field import enrich_cases
    from planner.office.authorisation import team_scope
    from planner.store.moved_letters import moved_letters, with_current_places
    from planner.store.plans import load_plan

    scope = team_scope(actor) if actor is not None else None
    if scope is not None and not scope:
        return []
    out: list[LateDay] = []
    for plan_id, days in _live_days(session, scope, today, team_ids).items():
        doc = enrich_cases(load_plan(session, plan_id), session)  # today's details, as 行程 reads the plan
        doc = with_current_places(session, doc, moved_letters(session, doc, plan_id), split=False)
        for team_id, day in days:
            if stops := _waiting(session, actor, doc, plan_id, team_id, day):
                team = doc.teams.get(team_id)
                out.append(LateDay(TeamDay(day, team_id, plan_id), getattr(team, "name", "") or team_id,
                                   tuple(stops)))
    return sorted(out, key=lambda d: (d.day.date, d.day.team_id))
