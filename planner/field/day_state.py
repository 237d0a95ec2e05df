"""Whether each stop of a team's day is done: one rule for 行程, every sheet of the day, 首页's and 行程's 待登记
notices and 回访跟踪's 今日与回访.

A letter of a stop needs nothing more on the day when its outcome was recorded at that visit (the day, the team:
:func:`planner.field.day.stop_records`), when it was settled along with its chain's first letter, closed meanwhile,
its 回访 recorded elsewhere, taken by another team's live plan (for a signed-in actor), or — walk: the officer
recorded the visit in 回访跟踪 — when an outcome of it was recorded for a visit on or after the day by another team
or on a later day (:func:`recorded_later`). Before, 行程 kept such a stop 待登记 with an open form while 首页 and
回访跟踪 no longer listed it. Case numbers and words only: nothing of the petitioner.

Public API
----------
``DayState``
    What was recorded for a day's letters: ``records`` (this visit's, the forms edit them), ``later`` (recorded for
    a visit since, elsewhere), the letters settled, closed or returned elsewhere; ``view()`` is the day as 行程 shows
    it, ``marked`` the records its stop marks and recorded times read.
``day_state(session, it, *, plan_id, actor=None) -> DayState``
    The state of itinerary ``it`` of saved plan ``plan_id``.
``recorded_later(session, case_nos, day, team_id) -> dict[str, tuple[dt.date, str, StopRecord]]``
    The letters with an outcome recorded for a visit on or after ``day`` other than ``team_id``'s on ``day``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import VisitType
from planner.field.day import (
    DayView,
    StopRecord,
    closed_elsewhere,
    day_view,
    returned_elsewhere,
    settled_along,
    stop_records,
    visited_along,
)
from planner.field.model import Itinerary


def recorded_later(
    session: Session, case_nos: Iterable[str], day: dt.date, team_id: str
) -> dict[str, tuple[dt.date, str, StopRecord]]:
    """The letters among ``case_nos`` with an outcome recorded for a visit on or after ``day`` other than
    ``team_id``'s visit on ``day`` (entered in 回访跟踪 with the day the visit was really made, or by another team):
    case number -> (that visit's day, its team, the record), the latest visit when several."""
    from planner.store.models import CaseRow, VisitOutcomeRow

    nos = sorted(set(case_nos))
    if not nos:
        return {}
    latest: dict[str, tuple[dt.date, str]] = {}
    for no, visit_date, team in session.execute(
        select(CaseRow.case_no, VisitOutcomeRow.visit_date, VisitOutcomeRow.team_id)
        .join(VisitOutcomeRow, VisitOutcomeRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos), VisitOutcomeRow.visit_date >= day)
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    ).all():
        if (visit_date, team or "") != (day, team_id):
            latest[no] = (visit_date, team or "")
    out: dict[str, tuple[dt.date, str, StopRecord]] = {}
    for (visit_date, team), group in _grouped(latest).items():
        for no, rec in stop_records(session, group, visit_date, team).items():
            out[no] = (visit_date, team, rec)
    return out


def _grouped(latest: dict[str, tuple[dt.date, str]]) -> dict[tuple[dt.date, str], list[str]]:
    out: dict[tuple[dt.date, str], list[str]] = {}
    for no, key in latest.items():
        out.setdefault(key, []).append(no)
    return out


def later_text(
    visit_date: dt.date,
    team: str,
    rec: StopRecord,
    day: dt.date,
    team_id: str,
    team_names: dict[str, str] | None = None,
) -> str:
    """``已登记 12-08 的走访结果（已走访），本站无需再走访此件（有新情况仍可登记走访结果）``, naming the team when it
    is another."""
    when = f"{visit_date:%m-%d} " if visit_date != day else ""
    who = "" if team == team_id else f"{(team_names or {}).get(team, team) or '未记录检查组'} "
    return f"已登记 {when}{who}的走访结果（{rec.result.label}），本站无需再走访此件（有新情况仍可登记走访结果）"


@dataclass(frozen=True)
class DayState:
    """What was recorded for the letters of one team-day (see the module)."""

    it: Itinerary
    records: dict[str, StopRecord]  # this visit's (the day, the team): the forms edit them
    later: dict[str, StopRecord] = field(default_factory=dict)  # recorded for a visit since, elsewhere
    settled: dict[str, str] = field(default_factory=dict)
    along: dict[str, str] = field(default_factory=dict)
    closed: dict[str, str] = field(default_factory=dict)
    returned: dict[str, str] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)  # taken by another team's live plan: no form for them

    @property
    def marked(self) -> dict[str, StopRecord]:
        """The records a stop's mark and recorded time read: this visit's, else the one recorded since."""
        return {**self.later, **self.records}

    def view(self) -> DayView:
        """The day as 行程 shows it: a letter recorded since reads as its record says (已改期, 未找到…)."""
        view = day_view(
            self.it,
            recorded=self.records,
            settled=self.settled,
            closed=self.closed,
            returned=self.returned,
            along=self.along,
        )
        if not self.later:
            return view
        stops = tuple(
            dataclasses.replace(
                card,
                cases=tuple(
                    dataclasses.replace(c, result=self.later[c.case_no].result)
                    if c.case_no in self.later and c.result is None and c.handled
                    else c
                    for c in card.cases
                ),
            )
            for card in view.stops
        )
        return dataclasses.replace(view, stops=stops)


def day_state(
    session: Session, it: Itinerary, *, plan_id: int | None, actor: Any = None, team_names: dict[str, str] | None = None
) -> DayState:
    """What was recorded for the letters of ``it`` (a team-day of saved plan ``plan_id``; put-off stops included):
    the one rule by which 行程, the day's sheets, 首页 and 回访跟踪 tell a stop done from one still 待登记.

    ``actor`` (None: batch use) adds the letters another team's live plan took since (:func:`held_elsewhere`).
    """
    from planner.office.authorisation import held_elsewhere

    day, team_id = it.date, it.team.team_id
    nos = [c.case_no for s in it.stops for c in s.cases]
    records = stop_records(session, [*nos, *(c.case_no for s in it.put_off for c in s.cases)], day, team_id)
    closed = closed_elsewhere(session, nos, records)
    held: dict[str, str] = {}
    if actor is not None:  # a letter another team's live plan took since (walk W10): said, and no form for it
        held = held_elsewhere(actor, session, [n for n in nos if n not in records])
        closed.update({no: f"{why}：本组无需再走访，也不能在此登记" for no, why in held.items()})
    # A 回访 recorded in 回访跟踪 (or on another day, by another team) ends this day's 回访 stop too.
    returned = returned_elsewhere(
        session,
        [c.case_no for s in it.stops if s.visit.visit_type is VisitType.RETURN for c in s.cases],
        records,
        plan_id=plan_id,
    )
    later = recorded_later(session, [n for n in nos if n not in records], day, team_id)
    for no, (visit_date, team, rec) in later.items():
        words = later_text(visit_date, team, rec, day, team_id, team_names)
        closed.setdefault(no, words)
        returned.setdefault(no, words)
    return DayState(
        it,
        records,
        {no: rec for no, (_d, _t, rec) in later.items()},
        settled_along(session, nos, records),
        visited_along(session, nos, records),
        closed,
        returned,
        held,
    )
